"""Word lists for name finding: titles, courtesy titles, and words that start sentences."""

from __future__ import annotations

from typing import Final

# Kept in a mention's text ("Mr. Putin"), ignored when matching.
COURTESY_TITLES: Final = frozenset("mr mrs ms miss mx dr sir dame".split())

# Peeled off the front of a mention: "Russian President Vladimir Putin" -> "Vladimir Putin".
TITLE_WORDS: Final = frozenset(
    """
    president vice prime minister deputy secretary general gen colonel col major maj captain
    capt lieutenant lt sergeant sgt admiral marshal commander brigadier chairman chairwoman
    chair premier senator governor judge justice king queen prince princess emir sheikh
    ayatollah imam mullah ambassador mayor chief director spokesman spokeswoman envoy leader
    founder boss tycoon oligarch businessman businesswoman former ex late acting defence
    defense foreign finance interior treasury state security national russian ukrainian
    american korean north south iranian chinese syrian belarusian kazakh slovak armenian
    azerbaijani israeli saudi turkish british french german us u s uk eu un nsc white house
    council council's
    """.split()
)

# Function words that capitalisation at the start of a sentence drags into a run.
SENTENCE_WORDS: Final = frozenset(
    """
    a an the this that these those there here it its he she they we you i his her their our
    my your and but or nor so yet for of in on at by to from with without into onto over
    under after before during while when where why how what which who whom whose if then
    than though although despite according also however meanwhile moreover furthermore
    still yet previously earlier later last next today yesterday tomorrow now both either
    neither each every all some many most much more less few several such no not only just
    even as is are was were be been being has have had do does did will would shall should
    can could may might must
    """.split()
)
