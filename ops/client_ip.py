"""The address a request really came from, for the login lockout (django-axes).

Behind the documented nginx every request arrives from 127.0.0.1, and the client's address is in
X-Forwarded-For, which nginx fills with `$proxy_add_x_forwarded_for`: whatever the client sent,
then the address nginx saw. So only the right-most entry is nginx's own word, and only when the
request came from a trusted proxy (NTM_TRUSTED_PROXIES); from anywhere else the header is the
client's invention and REMOTE_ADDR is the answer.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address a trusted proxy added to X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote not in settings.NTM_TRUSTED_PROXIES:
        return remote
    # proxy_count=0: the client is the last hop of the chain, the one the proxy appended itself.
    forwarded, _routable = get_client_ip(
        request, proxy_count=0, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False
    )
    return forwarded or remote
