"""The stopword lists, in one place: what each reader of text treats as no content.

The readers differ on purpose, and each difference is measured output (TextRank and centroid
summaries, probe and support decisions), so they are named views here rather than one merged set:
the general list for lexical matching, the extractive baselines' subset of it, and the claim readers'
list, which keeps words such as "down" and "without" that change what a claim says.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each either few for from further had hadn't has hasn't have haven't having he he'd he'll
    he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it
    it's its itself just let's like may me might more most much must mustn't my myself neither no nor not
    now of off on once one's only or other ought our ours ourselves out over own per rather same shall
    shan't she she'd she'll she's should shouldn't since so some such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've this those though through
    thus to too under until up upon us very via was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's whether which while who who's whom whose why why's will with within
    without won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    said says say saying told tells according also s t""".split()
)
"""Function words, pronouns, auxiliaries and reporting verbs ("said", "according"): no content for
lexical matching (key-fact coverage, source support)."""

TOPIC_STOPWORDS = frozenset(w for w in STOPWORDS if "'" not in w) - frozenset(
    "according cannot either like may might much must neither ought per rather saying shall since tells though thus told upon "
    "us via whether whose within without yet".split()
)
"""The extractive baselines' list (summarizers/features.py): their tokens never hold an apostrophe, and these
words are topic words to them. Changing it changes TextRank and centroid summaries."""

CLAIM_STOPWORDS = frozenset(
    "a an the and or of to in on at for by with from as is are was were be been being it its this that these those "
    "he she they his her their them him we our you your i me my has have had do does did will would could should may "
    "might can than then there here which who whom what when where why how also about into over after before said says "
    "say 's s than so such any some all both each other more most very just only own same too up out off once again "
    "further while during against between through until under above below nor not no make made makes making "
    "get gets got take takes took taken put puts tell tells told telling".split()
)
"""Words that carry no claim on their own, for lemmas of claims (negation words are read by ``negation_at``,
not as content; light verbs such as "make" and "take" state nothing a summary could get wrong)."""
