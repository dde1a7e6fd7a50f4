class ChineseByDefaultMiddleware:
    """The UI is Simplified Chinese unless the user picks English with the language switch.

    Government PCs often run English-language browsers; their Accept-Language header must not
    turn the platform English. The switch sets Django's language cookie, which still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
