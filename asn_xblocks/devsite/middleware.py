"""Language choice for the workbench: Indonesian unless the visitor asks for English."""
from django.conf import settings
from django.utils import translation

COOKIE = 'asn_language'


class LanguageSwitchMiddleware:
    """`?lang=en` (or `id`) picks the language and remembers it in a cookie.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a visitor with an
    English browser would never see the Indonesian-first interface the courses are built for.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        asked = request.GET.get('lang')
        language = asked if asked in self.supported else request.COOKIES.get(COOKIE)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if asked in self.supported:
            response.set_cookie(COOKIE, asked, samesite='Lax')
        translation.deactivate()
        return response
