"""Team guidance for the manager dashboard, drawn from Nick Niesen's article.

Pure data: no database. A team's band on a dimension (and overall) is the band of
the team's mean score. The texts speak to the manager about "your team" as a group and
paraphrase the article; the only verbatim text is the short quotes in article.PASSAGES,
referenced by key and shown with article.CREDIT, exactly as on an individual result.
Like the individual guidance, every text is translated when it is read, into the
reader's language.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from assessments.content.article import PASSAGES
from assessments.content.guidance import BAND_KEYS, Guidance
from assessments.content.texts import LocalTexts

# Re-exported so the dashboard can take everything it needs from this module.
__all__ = [
    "BAND_KEYS",
    "PASSAGES",
    "TEAM_DIMENSION_GUIDANCE",
    "TEAM_NUANCES",
    "TEAM_OVERALL_GUIDANCE",
    "Guidance",
]

TEAM_DIMENSION_GUIDANCE: dict[str, dict[str, Guidance]] = {
    "status_quo": {
        "seller": Guidance(
            headline=_("Your team keeps people content"),
            meaning=_(
                "Your team tends to keep people happy with how things are, customers and "
                "colleagues alike. In customer-facing work that is the right instinct: "
                "satisfied customers stay and come back."
            ),
            suggestion=_(
                "When the team itself needs to improve, expect it to see its current results "
                "as good enough. The article warns that mediocre results passed off as good "
                "ones do more harm than results everyone can see are poor. Put the team's "
                "numbers next to what good would really look like, and give people time to "
                "sit with the gap."
            ),
            passage="status_quo_poor_vs_mediocre",
        ),
        "seller_leaning": Guidance(
            headline=_("Your team mostly keeps things settled"),
            meaning=_(
                "Your team tends to keep people comfortable with the way things are, and only "
                "now and then asks whether they could be better. That makes it steady and easy "
                "for customers to deal with."
            ),
            suggestion=_(
                "If you want the team to change how it works, do not expect the push to come "
                "from inside it. The article holds that real change starts only once people "
                "are genuinely dissatisfied with the way things are. Make room in team "
                "meetings for doubts about how the work is done, and follow at least one of "
                "them through."
            ),
            passage="status_quo_thrall",
        ),
        "balanced": Guidance(
            headline=_("Your team both reassures and questions"),
            meaning=_(
                "As a group, your team keeps people reasonably content and is also willing to "
                "say what is not working. It has habits on both sides."
            ),
            suggestion=_(
                "Help the team tell the two situations apart. A customer usually needs to be "
                "satisfied, while the team's own way of working sometimes needs to be "
                "questioned. Ask openly which of the two a problem calls for, so the answer is "
                "a choice and not whatever feels easiest."
            ),
            passage="both_effective",
        ),
        "leader_leaning": Guidance(
            headline=_("Your team questions how things are"),
            meaning=_(
                "Your team tends to ask whether current results are really good enough, and "
                "is ready to change how things are done. The article ties this habit to "
                "leadership: transforming the way things are instead of keeping them."
            ),
            suggestion=_(
                "This suits a team that has to improve or that leads change for others. Help "
                "it turn criticism into a clear picture of what better would look like, so the "
                "people around it hear a goal and not only complaints. In front of customers "
                "the job is different, so make sure the team knows when to switch to "
                "satisfying them."
            ),
            passage="status_quo_wrong",
        ),
        "leader": Guidance(
            headline=_("Your team unsettles the way things are"),
            meaning=_(
                "Your team tends to make people dissatisfied with how things are, and accepts "
                "that some of them will be unhappy about it. The article says big improvements "
                "need exactly that kind of restlessness."
            ),
            suggestion=_(
                "The article's check applies to the team as a group: if nobody is ever unhappy "
                "with what it asks, it may not be challenging people enough, but watch out "
                "when all of the people around it are angry with it. If that happens, stop and "
                "hear what people object to before the team pushes further. With customers, "
                "remind the team that its job there is to satisfy."
            ),
            passage="some_angry",
        ),
    },
    "commitment": {
        "seller": Guidance(
            headline=_("Your team goes with what people want"),
            meaning=_(
                "Your team tends to get people moving by finding what they already want and "
                "helping them do it. That is how good selling works, and customers feel it."
            ),
            suggestion=_(
                "When the team itself has to change, expect it to wait until people want the "
                "change. The article says leaders often need commitment to things people would "
                "not choose: new methods, new skills, hard tasks. Introduce one such change at "
                "a time, say plainly why it matters, and stay with it past the first "
                "complaints."
            ),
            passage="commitment_want",
        ),
        "seller_leaning": Guidance(
            headline=_("Your team mostly builds on what people like"),
            meaning=_(
                "Your team usually works with what people are already willing to do, and only "
                "sometimes asks for more. Work runs smoothly, and customers find it easy to say "
                "yes."
            ),
            suggestion=_(
                "When you introduce something new, watch for changes that fade quietly because "
                "they felt awkward. The article would rather see the right new thing done "
                "clumsily for a while than the wrong old thing done well. Tell the team up "
                "front that early mistakes in the new way are expected and will not count "
                "against anyone."
            ),
            passage="commitment_new_right",
        ),
        "balanced": Guidance(
            headline=_("Your team mixes easy asks with hard ones"),
            meaning=_(
                "Your team sometimes goes with what people want and sometimes asks them for "
                "things they would not choose. As a group it has room to do either."
            ),
            suggestion=_(
                "Use that range on purpose. When the team has to win support for a hard "
                "change, its skill at persuasion, which the article counts among the sales "
                "habits that serve leaders, can turn reluctant agreement into real commitment. "
                "Ask what commitment would look like, not just whether people went along."
            ),
            passage="similarities_persuasion",
        ),
        "leader_leaning": Guidance(
            headline=_("Your team asks people to stretch"),
            meaning=_(
                "Your team tends to ask people for things they would not pick for themselves, "
                "and looks for real commitment, not just compliance. The article describes "
                "that kind of ask as the work of leading."
            ),
            suggestion=_(
                "This helps when the team, or the people it works with, need to change. Watch "
                "the pace: a team that asks for too much at once can end up taking quiet "
                "compliance for commitment. With customers, help it remember that selling "
                "usually means helping people do what they already want."
            ),
            passage="commitment_ardent",
        ),
        "leader": Guidance(
            headline=_("Your team pushes for committed change"),
            meaning=_(
                "Your team readily takes on hard, unfamiliar work, asks the same of others, "
                "and expects full commitment to it. It would rather try a new approach badly "
                "at first than keep an old one that only looks right."
            ),
            suggestion=_(
                "That is a lot of energy for change, and it can wear people out, inside the "
                "team and around it. Give people time to learn, and say openly that early "
                "mistakes in the new way are part of the plan. If resistance becomes "
                "widespread, treat it as information before pushing on. In front of customers, "
                "the team should follow what they want."
            ),
            passage="commitment_uncomfortable",
        ),
    },
    "disapproval": {
        "seller": Guidance(
            headline=_("Your team settles bad feelings fast"),
            meaning=_(
                "When someone is unhappy, your team tends to act at once to ease it. With "
                "customers that is exactly right, and it keeps relationships warm."
            ),
            suggestion=_(
                "In a change, some unhappiness is part of the price, and settling it at once "
                "can mean quietly giving up the goal. The article pictures people preferring "
                "the nearby hill, or staying put, when the organization needs the mountain. "
                "When the team meets pushback on a change, agree together which concerns "
                "should change the plan and which ones to hear out and carry on."
            ),
            passage="disapproval_nearby_hill",
        ),
        "seller_leaning": Guidance(
            headline=_("Your team prefers to clear the air"),
            meaning=_(
                "Your team usually tries to ease disagreement soon after it appears, though it "
                "can hold its course when it matters. People who deal with it tend to feel "
                "heard."
            ),
            suggestion=_(
                "Before a change, tell the team to expect misgivings and some pushback, so it "
                "does not read them as failure. The article suggests putting up with early "
                "objections for a while instead of reshaping the plan to make them go away. "
                "Afterward, look back together at which concerns were worth acting on."
            ),
            passage="disapproval_misgivings",
        ),
        "balanced": Guidance(
            headline=_("Your team eases some worries and lives with others"),
            meaning=_(
                "Your team sometimes settles disagreement right away and sometimes lets it "
                "stand while the work goes on. As a group it can tell a customer's complaint "
                "from resistance to a change."
            ),
            suggestion=_(
                "Help it keep choosing on purpose. A good question to put to the team: would "
                "settling this worry move us toward the bigger goal, or toward the easier one? "
                "The article quotes a CEO for whom grace under pressure was the hardest "
                "lesson, and a team learns it the same way, one difficult change at a time."
            ),
            passage="disapproval_grace",
        ),
        "leader_leaning": Guidance(
            headline=_("Your team can work through disapproval"),
            meaning=_(
                "Your team can keep working toward a goal while some people are unhappy about "
                "it. The article treats that as part of leading people somewhere they would "
                "not go on their own."
            ),
            suggestion=_(
                "This helps in any hard change. The risk is that criticism stops being heard, "
                "including the kind that points at a real problem. Keep a regular place where "
                "objections are raised and answered, and remind the team that with customers, "
                "unhappiness is dealt with straight away."
            ),
            passage="disapproval_live_with",
        ),
        "leader": Guidance(
            headline=_("Your team holds its course under criticism"),
            meaning=_(
                "Your team readily accepts other people's bad feelings while it keeps moving "
                "toward a bigger goal. Loud critics rarely knock it off course."
            ),
            suggestion=_(
                "Keep the article's check in view: some people unhappy with the team can mean "
                "it is challenging enough, but watch out when all of the people it works with "
                "are angry with it. When that happens, listen closely before going on. In "
                "customer work this steadiness can read as not caring, so the team should "
                "switch to easing concerns quickly there."
            ),
            passage="all_angry",
        ),
    },
}

TEAM_OVERALL_GUIDANCE: dict[str, Guidance] = {
    "seller": Guidance(
        headline=_("Your team works like sellers"),
        meaning=_(
            "Across the three differences, your team tends to keep people satisfied, go with "
            "what they want, and ease bad feelings at once. That is what customer-facing work "
            "needs, and it is a strength, not a shortfall."
        ),
        suggestion=_(
            "These habits can get in the way when the team itself has to change, or when one "
            "of its people moves into a leadership role: the author has seen good sales people "
            "fail after such a move. Pick the difference where the team sits closest to the "
            "seller end and ask for one leader habit there. When someone from the team steps up "
            "to lead, talk through which habits to bring along and which to leave behind."
        ),
        passage="sales_fail",
    ),
    "seller_leaning": Guidance(
        headline=_("Your team leans toward the seller end"),
        meaning=_(
            "Your team mostly keeps people satisfied and comfortable, with some leader habits in "
            "the mix. That suits customer work and a steady pace."
        ),
        suggestion=_(
            "When you lead the team through a change, look first at the difference closest to "
            "the seller end, since that is where a sales habit is most likely to get in the "
            "way. The point is to help the team notice the differences and choose between "
            "them, not to talk it out of what makes it good with customers."
        ),
        passage="both_effective",
    ),
    "balanced": Guidance(
        headline=_("Your team sits between seller and leader"),
        meaning=_(
            "As a group, your team draws on both sets of habits: it satisfies people at some "
            "moments and challenges them at others. That gives it range across customer work "
            "and change."
        ),
        suggestion=_(
            "The risk in the middle is drift: reassuring when the team's own work needs a push, "
            "or pushing when a customer needs reassurance. Check each difference on its own, "
            "since a middle overall position can hide a team that leans one way on one "
            "difference and the other way on another."
        ),
        passage="both_influence",
    ),
    "leader_leaning": Guidance(
        headline=_("Your team leans toward the leader end"),
        meaning=_(
            "Your team is more likely to challenge how things are, ask for hard commitments, "
            "and live with some disapproval than to keep everyone comfortable. That serves a "
            "team that has to change, or one that leads change for others."
        ),
        suggestion=_(
            "Watch where these habits follow the team into customer work, where the job is to "
            "satisfy. The article notes that leadership methods can help in sales and that "
            "persuasion helps leaders, so let the two borrow from each other instead of mixing "
            "them up."
        ),
        passage="similarities_leadership_methods",
    ),
    "leader": Guidance(
        headline=_("Your team works like change leaders"),
        meaning=_(
            "Across the three differences, your team tends to make people dissatisfied with how "
            "things are, ask for commitment to hard change, and carry on through disapproval. "
            "Those are the habits a large change needs."
        ),
        suggestion=_(
            "Keep an eye on how the people around the team are taking it: some of them angry "
            "can mean the team is challenging enough, but when all of the people are angry "
            "with it, treat that as a warning and slow down to listen. In customer-facing work "
            "these habits can cost trust, so help the team change modes when the job is to sell."
        ),
        passage="all_angry",
    ),
}

TEAM_NUANCES: Sequence[str] = LocalTexts(
    _(
        "This dashboard shows how your team tends to influence people as a group, not how good it "
        "is and not who is who. A seller-leaning team is exactly what customer-facing work needs; "
        "trouble starts when people carry one set of habits into the other's job. Never try to "
        "work out who answered what: honest answers depend on people trusting that nobody will."
    ),
    _(
        "The far leader end has its own risk. If nobody is ever unhappy with what your team asks, "
        "it may not be challenging people enough, but when all of the people around it are angry "
        "with it, it is time to stop and listen."
    ),
    _(
        "Sales and leadership share useful ground. The art of persuasion serves leaders well, and "
        "many leadership methods help sales people, so a team with both kinds of habit can lend "
        "them to each other."
    ),
)
