"""A session's run sheet as an A4 PDF for the host's table: each step's time slot, product, offer, talking points in
each language and the QR code to show on screen, at print size. Drawn with ``brandhub.pdf`` (Noto Sans SC, so the
Chinese talking points print), from plain values: the caller decides what the reader may see."""

import io

from django.utils import formats
from django.utils.translation import gettext as _

from brandhub.pdf import FONT, CjkPdf, cjk_pdf_bytes

MARGIN = 14.0
WIDTH = 210.0 - 2 * MARGIN
TIME_W = 24.0
QR_MM = 25.0
LINE = 4.6


def _price(value) -> str:
    return f"¥{formats.number_format(value, 2, use_l10n=True, force_grouping=True)}"


def _step_texts(step) -> dict:
    product = step.product
    heading = f"{product.code} {product.name_zh_hans or product.name_it}" if product else step.title
    if product and step.title:
        heading = f"{heading} · {step.title}"
    offer = step.offer
    if step.live_price_cny is not None:
        price = _price(step.live_price_cny)
        if product and product.price_cny:
            price = _("%(live)s (list price %(list)s)") % {"live": price, "list": _price(product.price_cny)}
        offer = f"{offer} · {price}" if offer else price
    points = [(code, text) for code, text in (("中文", step.talking_points_zh), ("EN", step.talking_points_en),
                                              ("IT", step.talking_points_it)) if text.strip()]  # fmt: skip
    return {"heading": heading, "offer": offer, "points": points}


def run_sheet_pdf(session, *, slots, hosts, codes: dict, zone) -> bytes:
    item = session.item
    start = session.starts_at.astimezone(zone)
    title = item.title
    subtitle = " · ".join(
        [
            formats.date_format(start, "DATETIME_FORMAT") + " " + _("(China time)"),
            _("%(minutes)s minutes") % {"minutes": session.duration_minutes},
            str(session.get_platform_display()),
        ]
    )
    host_line = ", ".join(f"{host}{f' ({host.role})' if host.role else ''}" for host in hosts)
    rows = [(slot, _step_texts(slot.step), codes.get(slot.step.link_code)) for slot in slots]
    texts = [title, subtitle, host_line, _("Hosts"), _("Run sheet"), _("Offer"), _("No steps yet.")]
    for _slot, values, code in rows:
        texts += [values["heading"], values["offer"], *(t for _c, t in values["points"])]
        if code is not None:
            texts += [code.label, code.url]

    def draw(pdf: CjkPdf) -> None:
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.add_page()
        pdf.set_font(FONT, "B", 15)
        for line in pdf.lines(f"{_('Run sheet')}: {title}", WIDTH, 2):
            pdf.cell(WIDTH, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9.5)
        pdf.cell(WIDTH, 5.5, pdf.fit(subtitle, WIDTH), new_x="LMARGIN", new_y="NEXT")
        if host_line:
            pdf.cell(WIDTH, 5.5, pdf.fit(f"{_('Hosts')}: {host_line}", WIDTH), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        if not rows:
            pdf.cell(WIDTH, 6, _("No steps yet."))
        for slot, values, code in rows:
            _draw_step(pdf, slot, values, code, zone)

    return cjk_pdf_bytes(draw, texts=texts)


def _draw_step(pdf: CjkPdf, slot, values: dict, code, zone) -> None:
    text_w = WIDTH - TIME_W - (QR_MM + 4 if code else 0)
    pdf.set_font(FONT, "", 9)
    point_lines = [(label, pdf.wrapped(text, text_w - 9)) for label, text in values["points"]]
    offer_lines = pdf.wrapped(values["offer"], text_w) if values["offer"] else []
    pdf.set_font(FONT, "B", 10.5)
    heading_lines = pdf.lines(values["heading"], text_w, 2)
    height = 6.0 * len(heading_lines) + LINE * (len(offer_lines) + sum(len(lines) for _l, lines in point_lines)) + 4
    height = max(height, QR_MM + 10 if code else 12)
    if pdf.get_y() + height > 297 - MARGIN:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_draw_color(200, 200, 200)
    pdf.line(MARGIN, top, MARGIN + WIDTH, top)
    start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    pdf.set_xy(MARGIN, top + 2)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(TIME_W, 6, f"{start:%H:%M}–{end:%H:%M}")
    pdf.set_xy(MARGIN, top + 8)
    pdf.set_font(FONT, "", 8)
    pdf.cell(TIME_W, 4, _("%(minutes)s min") % {"minutes": slot.step.minutes})
    x = MARGIN + TIME_W
    y = top + 2
    pdf.set_font(FONT, "B", 10.5)
    for line in heading_lines:
        pdf.set_xy(x, y)
        pdf.cell(text_w, 6, line)
        y += 6
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(150, 20, 40)
    for line in offer_lines:
        pdf.set_xy(x, y)
        pdf.cell(text_w, LINE, line)
        y += LINE
    pdf.set_text_color(0, 0, 0)
    for label, lines in point_lines:
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "B", 8)
        pdf.cell(9, LINE, label)
        pdf.set_font(FONT, "", 9)
        for line in lines:
            pdf.set_xy(x + 9, y)
            pdf.cell(text_w - 9, LINE, line)
            y += LINE
    if code is not None:
        qr_x = MARGIN + WIDTH - QR_MM
        pdf.image(io.BytesIO(code.png(QR_MM / 10)), x=qr_x, y=top + 2, w=QR_MM, h=QR_MM)
        pdf.set_font(FONT, "", 7)
        pdf.set_xy(qr_x - 4, top + 3 + QR_MM)
        pdf.cell(QR_MM + 4, 3.5, pdf.fit(code.label, QR_MM + 4), align="C")
    pdf.set_y(top + height)
