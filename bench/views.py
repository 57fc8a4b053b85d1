"""The benchmark's probe pages (bench/http_urls.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def empty_page(request):
    """The site's layout (header, menu, bell) for a signed-in person, and nothing else."""
    return render(request, "bench/empty.html")


@require_safe
def empty_page_anonymous(request):
    """The same layout for whoever asks, signed in or not: the floor of every public page."""
    return render(request, "bench/empty.html")
