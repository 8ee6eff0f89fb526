"""KOLs, their accounts and follower history, their bookings, and livestream sessions with hosts and run sheets."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brands', '0006_brandchangeproposal'),
        ('campaigns', '0008_contentitem_scheduled_due'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Kol',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, help_text='In Latin letters, e.g. Lily.', max_length=120, verbose_name='name')),
                ('name_zh', models.CharField(blank=True, help_text='As the platforms show it, e.g. 意式生活家Lily.', max_length=120, verbose_name='Chinese name')),
                ('focus', models.JSONField(blank=True, default=list, verbose_name='focus')),
                ('languages', models.JSONField(blank=True, default=list, verbose_name='languages')),
                ('agency', models.CharField(blank=True, max_length=160, verbose_name='agency')),
                ('contact_name', models.CharField(blank=True, max_length=120, verbose_name='contact person')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact email')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact phone')),
                ('contact_wechat', models.CharField(blank=True, max_length=60, verbose_name='contact WeChat ID')),
                ('fee_min_cny', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='fee from (CNY)')),
                ('fee_max_cny', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='fee up to (CNY)')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('followers', models.PositiveBigIntegerField(db_index=True, default=0, verbose_name='followers')),
                ('tags', models.CharField(blank=True, editable=False, max_length=200)),
                ('search_text', models.TextField(blank=True, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'KOL',
                'verbose_name_plural': 'KOLs',
                'ordering': ['name', 'name_zh', 'pk'],
            },
        ),
        # The link that replaces the free-text ``kol``: filled from it by 0010, renamed to ``kol`` by 0011.
        migrations.AddField(
            model_name='contentitem',
            name='kol_ref',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='campaigns.kol', verbose_name='KOL'),
        ),
        migrations.CreateModel(
            name='KolAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform', models.CharField(choices=[('weibo', 'Weibo'), ('red', 'RED (Xiaohongshu)'), ('douyin', 'Douyin'), ('taobao_live', 'Taobao Live'), ('wechat_channels', 'WeChat Channels'), ('bilibili', 'Bilibili')], max_length=20, verbose_name='platform')),
                ('handle', models.CharField(blank=True, max_length=120, verbose_name='handle')),
                ('profile_url', models.URLField(blank=True, max_length=500, verbose_name='profile URL')),
                ('followers', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='followers')),
                ('followers_on', models.DateField(blank=True, null=True, verbose_name='counted on')),
                ('kol', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='accounts', to='campaigns.kol', verbose_name='KOL')),
            ],
            options={
                'verbose_name': 'KOL account',
                'verbose_name_plural': 'KOL accounts',
                'ordering': ['kol', 'platform'],
            },
        ),
        migrations.CreateModel(
            name='KolBooking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fee_cny', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='fee (CNY)')),
                ('deliverables', models.TextField(help_text='E.g. one 3-hour livestream and two RED notes.', verbose_name='deliverables')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='until')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('delivered', 'Delivered'), ('paid', 'Paid'), ('cancelled', 'Cancelled')], db_index=True, default='proposed', max_length=10, verbose_name='status')),
                ('notes', models.TextField(blank=True, verbose_name='internal notes')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kol_bookings', to='campaigns.campaign', verbose_name='campaign')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('items', models.ManyToManyField(blank=True, help_text='Leave empty when the KOL is booked for the whole campaign.', related_name='kol_bookings', to='campaigns.contentitem', verbose_name='content items')),
                ('kol', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bookings', to='campaigns.kol', verbose_name='KOL')),
            ],
            options={
                'verbose_name': 'KOL booking',
                'verbose_name_plural': 'KOL bookings',
                'ordering': ['-starts_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='KolFollowerCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('followers', models.PositiveBigIntegerField(verbose_name='followers')),
                ('recorded_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counts', to='campaigns.kolaccount')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'follower count',
                'verbose_name_plural': 'follower counts',
                'ordering': ['-day'],
            },
        ),
        migrations.CreateModel(
            name='LivestreamSession',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='livestream', serialize=False, to='campaigns.contentitem', verbose_name='content item')),
                ('platform', models.CharField(choices=[('taobao_live', 'Taobao Live'), ('douyin', 'Douyin'), ('pinduoduo', 'Pinduoduo'), ('wechat_channels', 'WeChat Channels'), ('red', 'RED (Xiaohongshu)'), ('jd', 'JD Live'), ('bilibili', 'Bilibili'), ('weibo', 'Weibo')], max_length=20, verbose_name='platform')),
                ('duration_minutes', models.PositiveSmallIntegerField(default=120, validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(720)], verbose_name='duration (minutes)')),
                ('room_url', models.URLField(blank=True, max_length=500, verbose_name='live room URL')),
                ('notes', models.TextField(blank=True, verbose_name='internal notes')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('products', models.ManyToManyField(blank=True, related_name='livestream_sessions', to='brands.product', verbose_name='featured products')),
            ],
            options={
                'verbose_name': 'livestream session',
                'verbose_name_plural': 'livestream sessions',
            },
        ),
        migrations.CreateModel(
            name='RunSheetStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='order')),
                ('minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(240)], verbose_name='minutes')),
                ('title', models.CharField(blank=True, help_text='E.g. opening, lucky draw, Q&A.', max_length=120, verbose_name='what happens')),
                ('talking_points_zh', models.TextField(blank=True, verbose_name='talking points (Chinese)')),
                ('talking_points_en', models.TextField(blank=True, verbose_name='talking points (English)')),
                ('talking_points_it', models.TextField(blank=True, verbose_name='talking points (Italian)')),
                ('offer', models.CharField(blank=True, help_text='E.g. 直播间专享：买二赠一.', max_length=200, verbose_name='offer')),
                ('live_price_cny', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='live price (CNY)')),
                ('link_code', models.CharField(blank=True, max_length=16, verbose_name='code on screen')),
                ('product', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='brands.product', verbose_name='product')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='campaigns.livestreamsession')),
            ],
            options={
                'verbose_name': 'run sheet step',
                'verbose_name_plural': 'run sheet steps',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SessionHost',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('name', models.CharField(blank=True, help_text="A brand's or the agency's own host.", max_length=120, verbose_name='name')),
                ('role', models.CharField(blank=True, help_text='E.g. host, winemaker, translator.', max_length=80, verbose_name='role')),
                ('brand', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='brands.brand', verbose_name='of the brand')),
                ('kol', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hosted_sessions', to='campaigns.kol', verbose_name='KOL')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hosts', to='campaigns.livestreamsession')),
            ],
            options={
                'verbose_name': 'host',
                'verbose_name_plural': 'hosts',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='kol',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('name', ''), _negated=True), models.Q(('name_zh', ''), _negated=True), _connector='OR'), name='kol_has_a_name', violation_error_message='Give the KOL a name, in Latin letters or in Chinese.'),
        ),
        migrations.AddConstraint(
            model_name='kol',
            constraint=models.CheckConstraint(condition=models.Q(('fee_min_cny__isnull', True), ('fee_max_cny__isnull', True), ('fee_max_cny__gte', models.F('fee_min_cny')), _connector='OR'), name='kol_fee_range_in_order', violation_error_message='The highest fee cannot be lower than the lowest.'),
        ),
        migrations.AddConstraint(
            model_name='kolaccount',
            constraint=models.UniqueConstraint(fields=('kol', 'platform'), name='kolaccount_one_per_platform', violation_error_message='This KOL already has an account on this platform.'),
        ),
        migrations.AddConstraint(
            model_name='kolbooking',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='kolbooking_ends_after_start', violation_error_message='The booking cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='kolfollowercount',
            constraint=models.UniqueConstraint(fields=('account', 'day'), name='kolfollowercount_one_per_day', violation_error_message='This account has a count for this day already.'),
        ),
        migrations.AddConstraint(
            model_name='sessionhost',
            constraint=models.CheckConstraint(condition=models.Q(('kol__isnull', False), models.Q(('name', ''), _negated=True), _connector='OR'), name='sessionhost_is_someone', violation_error_message="Choose a KOL or give the host's name."),
        ),
    ]
