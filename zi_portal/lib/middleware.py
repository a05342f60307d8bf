from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ExplicitLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user picked another language with the switch.

    The browser's Accept-Language is ignored on purpose: many civil servants run English-language
    browsers but the portal's working language is Indonesian.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
