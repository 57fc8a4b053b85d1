"""The community app's models, one module per part: the lending library, events, menus."""

from community.models.events import *  # noqa: F403
from community.models.library import *  # noqa: F403
from community.models.menus import *  # noqa: F403
