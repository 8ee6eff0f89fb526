import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandhub.settings.production")

application = get_wsgi_application()

# The plain QR scan is answered before Django's request handling (campaigns/tracking/fastpath.py says why).
from campaigns.tracking.fastpath import ScanFastPath  # noqa: E402  (needs the settings and apps loaded above)

application = ScanFastPath(application)
