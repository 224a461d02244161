"""No apps, no middleware, no database: what any Django view costs at the least."""

DEBUG = False
SECRET_KEY = "bench-hello-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_hello.urls"
WSGI_APPLICATION = "bench_hello.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
