# English pages keep the Vietnamese dates and money: the school's paperwork is
# Vietnamese whatever language the reader chose.
from coordination.formats.vi.formats import *  # noqa: F403
