"""Guidance for a person's result, drawn from Nick Niesen's article.

Pure data: no database. The guidance paraphrases the article; the only
verbatim text is in article.PASSAGES, short quotes shown with a credit to the author.
Every text is marked for translation and translated when it is read, into the
language of whoever reads it.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from assessments.content.scoring import BANDS
from assessments.content.texts import LocalTexts, Marked


class Guidance:
    """One band's guidance. Each text is marked with gettext_lazy where it is
    written, and read back (``headline``, ``meaning``, ``suggestion``) as a plain
    string in the active language: a template, a chart or a regex takes it like
    any other string, and nothing is translated before a page asks for it."""

    __slots__ = ("_headline", "_meaning", "_suggestion", "passage")

    def __init__(
        self,
        headline: Marked,  # a few words
        meaning: Marked,  # what this position means, in second person
        suggestion: Marked,  # what the article suggests doing, paraphrased, in second person
        passage: str | None = None,  # key into article.PASSAGES for a short credited quote
    ) -> None:
        self._headline = headline
        self._meaning = meaning
        self._suggestion = suggestion
        self.passage = passage

    @property
    def headline(self) -> str:
        return str(self._headline)

    @property
    def meaning(self) -> str:
        return str(self._meaning)

    @property
    def suggestion(self) -> str:
        return str(self._suggestion)


# Bands, from the seller end (0) to the leader end (100); each has its guidance.
BAND_KEYS = tuple(band.key for band in BANDS)

DIMENSION_GUIDANCE: dict[str, dict[str, Guidance]] = {
    "status_quo": {
        "seller": Guidance(
            headline=_("You keep people content"),
            meaning=_(
                "You put real effort into keeping people happy with how things are. With "
                "customers that is the job: a satisfied customer trusts you and comes back."
            ),
            suggestion=_(
                "If you lead a team, watch for carrying this habit across. A team that feels "
                "fine about its results may be settling for mediocre ones, and the article "
                "argues that mediocre results taken for good ones do more harm than results "
                "everyone knows are poor. Now and then, ask out loud what good would really "
                "look like, and let people feel the gap."
            ),
            passage="status_quo_mediocre",
        ),
        "seller_leaning": Guidance(
            headline=_("You lean toward keeping things settled"),
            meaning=_(
                "You mostly keep people comfortable with how things are, and only sometimes "
                "question it. That suits customer work and keeps a team calm."
            ),
            suggestion=_(
                "When you lead, notice the moments when you smooth over a doubt about how the "
                "team works. Those doubts are often where improvement starts. The article's "
                "point is that real change only comes once people are truly dissatisfied with "
                "the way things are, so let a useful doubt stay in the room a little longer."
            ),
            passage="status_quo_dissatisfaction",
        ),
        "balanced": Guidance(
            headline=_("You both reassure and question"),
            meaning=_(
                "You keep people reasonably content, and you are also willing to say what is "
                "not working. You can move between the two depending on who you are with."
            ),
            suggestion=_(
                "Be deliberate about which one a situation needs. A customer usually needs to "
                "be satisfied; a team facing a big change usually needs to hear why the "
                "current way is not good enough. Check that you are choosing, not drifting "
                "toward whichever feels easier that day."
            ),
            passage="status_quo_dissatisfy",
        ),
        "leader_leaning": Guidance(
            headline=_("You tend to question how things are"),
            meaning=_(
                "You are often the one asking whether current results are really good enough. "
                "The article sees this as the heart of leading: changing the way things are "
                "rather than keeping it."
            ),
            suggestion=_(
                "This serves a team that needs to improve. The risk is that people hear only "
                "criticism, so tie each challenge to what the team could achieve. With "
                "customers, remember the job is different: there you are mainly there to "
                "satisfy."
            ),
            passage="status_quo_transform",
        ),
        "leader": Guidance(
            headline=_("You make people restless with the way things are"),
            meaning=_(
                "You readily make people dissatisfied with how things are, and you accept that "
                "some of them will be unhappy with you for it. That is what drives the big "
                "changes the article credits to leadership."
            ),
            suggestion=_(
                "The article offers a simple check. If nobody is unhappy with you, you may not "
                "be challenging people enough; but watch out when all of the people are angry "
                "with you, and take that as a sign to stop and look at what you are asking. "
                "With customers this instinct can cost you the sale, so set it aside when your "
                "job is to satisfy."
            ),
            passage="all_angry",
        ),
    },
    "commitment": {
        "seller": Guidance(
            headline=_("You go with what people want"),
            meaning=_(
                "You get people moving by finding what they already want to do and helping "
                "them do it. In sales that works well: you help a customer act on a wish they "
                "already have."
            ),
            suggestion=_(
                "As a leader you will sometimes need people to do things they would not "
                "choose: work in new ways, learn new skills, take on hard tasks. If you only "
                "ask for what people already want, bigger changes tend to stall. Try asking for "
                "one uncomfortable commitment at a time, and explain what it makes possible."
            ),
            passage="commitment_want",
        ),
        "seller_leaning": Guidance(
            headline=_("You mostly work with what people like"),
            meaning=_(
                "You usually build on what people are already willing to do, and only "
                "sometimes ask for more. That keeps things smooth and suits customer work."
            ),
            suggestion=_(
                "When you lead, notice when you quietly drop a change because people resisted "
                "it. The article argues for doing the right new thing badly at first rather "
                "than the wrong old thing well. Expect a new way of working "
                "to look rough for a while."
            ),
            passage="commitment_new_right",
        ),
        "balanced": Guidance(
            headline=_("You mix easy asks with hard ones"),
            meaning=_(
                "Sometimes you go with what people want, and sometimes you ask them for things "
                "they would not choose. You can read which one a situation calls for."
            ),
            suggestion=_(
                "Keep that judgment, and look at how you ask for the hard things. The article "
                "points out that persuasion, a sales skill, serves leaders well: use it to win "
                "real commitment to a difficult change, not just agreement to go along."
            ),
            passage="similarities_persuasion",
        ),
        "leader_leaning": Guidance(
            headline=_("You ask people to stretch"),
            meaning=_(
                "You often ask people for things they would not pick for themselves, and you "
                "look for real commitment rather than going along. That is how the article "
                "describes a leader's work."
            ),
            suggestion=_(
                "This serves a team that needs to change how it works. The risk is asking for "
                "too much at once, or mistaking quiet compliance for commitment. With "
                "customers, step back: selling works best when you help people do what they "
                "already want."
            ),
            passage="commitment_ardent",
        ),
        "leader": Guidance(
            headline=_("You push for committed change"),
            meaning=_(
                "You readily ask people for hard, unfamiliar work and expect them to commit to "
                "it fully. You would rather see a new approach done badly at first than an old "
                "one done well."
            ),
            suggestion=_(
                "This is a strong engine for change, and it can wear people out. Give them "
                "time to learn, and make clear that early mistakes in the new way are expected. "
                "If nearly everyone resists, listen before you push further. With customers, "
                "let what they want lead."
            ),
            passage="commitment_uncomfortable",
        ),
    },
    "disapproval": {
        "seller": Guidance(
            headline=_("You settle bad feelings fast"),
            meaning=_(
                "When someone is unhappy, you act at once to ease it. With customers that is "
                "exactly right: in sales you deal with disapproval straight away."
            ),
            suggestion=_(
                "As a leader, some unhappiness comes with any real change, and fixing it "
                "immediately can mean giving up the goal. Try letting a complaint sit for a "
                "while: hear it, acknowledge it, and keep going unless it shows you something "
                "you had missed. Many people will prefer the nearby hill to the mountain, and "
                "your job is to keep the mountain in view."
            ),
            passage="disapproval_hop_on",
        ),
        "seller_leaning": Guidance(
            headline=_("You prefer to clear the air quickly"),
            meaning=_(
                "You usually try to ease disagreement soon after it shows up, though you can "
                "hold your course when it matters. That keeps relationships warm, with "
                "customers and colleagues alike."
            ),
            suggestion=_(
                "When you lead a change, expect early misgivings and some pushback. The "
                "article suggests putting up with them for a while instead of reshaping the "
                "plan to make them go away. Ask yourself whether you are easing a feeling or "
                "giving up on the goal."
            ),
            passage="disapproval_live_with",
        ),
        "balanced": Guidance(
            headline=_("You ease some worries and live with others"),
            meaning=_(
                "Sometimes you settle disagreement right away, and sometimes you let it stand "
                "while you carry on. You can tell a customer's complaint from a team's "
                "resistance to change."
            ),
            suggestion=_(
                "Keep choosing on purpose. A useful question: would settling this worry move "
                "us toward the bigger goal, or toward the easier one? The article tells of a "
                "CEO whose hardest lesson was staying focused on the goal while critics had "
                "their say."
            ),
            passage="disapproval_grace",
        ),
        "leader_leaning": Guidance(
            headline=_("You can carry on through disapproval"),
            meaning=_(
                "You are able to keep working toward a goal while some people are unhappy "
                "about it. The article sees this as part of leading people somewhere they "
                "would not go on their own."
            ),
            suggestion=_(
                "This serves any team facing a hard change. The risk is that you stop "
                "listening, when some criticism points at a real problem. With customers, "
                "work the other way: deal with their unhappiness straight away."
            ),
            passage="disapproval_live_with",
        ),
        "leader": Guidance(
            headline=_("You hold your course under criticism"),
            meaning=_(
                "You readily accept people's bad feelings while you keep moving toward the "
                "bigger goal. You stay steady when the naysayers are loud."
            ),
            suggestion=_(
                "The article's check applies here too: if nobody is unhappy, you may not be "
                "asking enough, but watch out when all of the people are angry with you. At "
                "that point, listen closely before you go on. In customer work this steadiness "
                "can come across as not caring, so switch to easing concerns quickly there."
            ),
            passage="some_angry",
        ),
    },
}

OVERALL_GUIDANCE: dict[str, Guidance] = {
    "seller": Guidance(
        headline=_("You work like a seller"),
        meaning=_(
            "Across the three differences, you keep people satisfied, go with what they want, "
            "and ease bad feelings at once. That is what customer-facing work asks for, and it "
            "makes you easy to work with."
        ),
        suggestion=_(
            "If you lead people, or are about to, these are the habits to watch: the author has "
            "watched strong sales people struggle after a move into leadership because they "
            "brought these habits with them. Pick the difference where you sit closest to the "
            "seller end and try one leader habit there. Your skill at persuasion will help."
        ),
        passage="sales_fail",
    ),
    "seller_leaning": Guidance(
        headline=_("You lean toward the seller end"),
        meaning=_(
            "You mostly keep people satisfied and comfortable, with some leader habits in the "
            "mix. That suits customer work and steady teams."
        ),
        suggestion=_(
            "When you lead a change, look at the difference closest to the seller end: that is "
            "where a sales habit is most likely to get in your way. The article's advice is to "
            "know the differences so you can choose, not to give up what makes you good with "
            "customers."
        ),
        passage="both_effective",
    ),
    "balanced": Guidance(
        headline=_("You sit between seller and leader"),
        meaning=_(
            "You draw on both: sometimes you satisfy people, sometimes you challenge them. That "
            "gives you range in customer work and in leading."
        ),
        suggestion=_(
            "The risk in the middle is drifting: reassuring when a team needs a push, or "
            "pushing when a customer needs reassurance. Look at each difference on its own, and "
            "ask which way the situation in front of you calls for."
        ),
        passage="both_influence",
    ),
    "leader_leaning": Guidance(
        headline=_("You lean toward the leader end"),
        meaning=_(
            "You are more likely to challenge how things are, ask for hard commitments, and "
            "live with some disapproval than to keep everyone comfortable. That serves a team "
            "that needs to change."
        ),
        suggestion=_(
            "Watch where these habits follow you into customer work, where the job is to "
            "satisfy: the author has also watched strong leaders struggle when they "
            "move into selling. Borrow from sales, too, since persuasion helps people commit to "
            "a change."
        ),
        passage="similarities_persuasion",
    ),
    "leader": Guidance(
        headline=_("You work like a change leader"),
        meaning=_(
            "Across the three differences, you make people dissatisfied with how things are, "
            "ask for commitment to hard change, and carry on through disapproval. That is what "
            "changing a team or an organization asks for."
        ),
        suggestion=_(
            "Keep an eye on how people are taking it: some people angry with you can mean you "
            "are challenging enough, but when all of them are angry with you, treat it as a "
            "warning. In "
            "customer-facing work these habits can cost you trust, so change modes when the "
            "job is to sell."
        ),
        passage="all_angry",
    ),
}

NUANCES: Sequence[str] = LocalTexts(
    _(
        "This spectrum describes how you tend to influence people, not how good you are. A "
        "seller orientation is exactly what a customer-facing role needs, and a leader "
        "orientation is what changing a team needs; trouble starts when you carry one into the "
        "other's job."
    ),
    _(
        "The far leader end has its own risk. If nobody is unhappy with you, you may not be "
        "challenging people enough, but when all of the people are angry with you, it is time to "
        "stop and listen."
    ),
    _(
        "Sales and leadership also share useful ground. The art of persuasion serves leaders "
        "well, and many leadership methods help sales people sell."
    ),
)
