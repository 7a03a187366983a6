"""The chain diagram as an SVG file to download, for slides and documents outside Kundenbild."""

from __future__ import annotations

from django.http import HttpResponse

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.chains.diagram_svg import chain_diagram_svg
from kundenbild.chains.permissions import chain_access
from kundenbild.chains.selectors import chain_picture


def chain_diagram_svg_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    """Login is enforced by the middleware; who may see the chain, by `chain_access`."""
    chain = chain_access(request.user, chain_id)
    svg = chain_diagram_svg(chain_picture(chain))
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="chain-{chain.pk}.svg"'
    return response
