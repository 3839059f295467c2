"""The German of the default bank's versions 1 and 2, as they shipped in
December 2026: for each version number, each item's order, its English text,
its German, and its responses' (order: English, German).

Frozen, like the trigger modules: migration 0025 reads it to give the German
to sites that had loaded these versions before bank versions had languages.
The shipped bank files (assessments/data) may change; this never does.
"""

GERMAN = {
    1: {
        1: (
            "When our results look fine, I still ask whether fine is good enough.",
            "Wenn unsere Ergebnisse ordentlich aussehen, frage ich trotzdem, ob „ordentlich“ gut "
            "genug ist.",
            {},
        ),
        2: (
            "I get things moving by starting with what people already want to do.",
            "Ich bringe Dinge in Gang, indem ich bei dem ansetze, was andere ohnehin tun wollen.",
            {},
        ),
        3: (
            "When someone is unhappy with me, I try to fix it right away.",
            "Wenn jemand mit mir unzufrieden ist, versuche ich, das sofort in Ordnung zu bringen.",
            {},
        ),
        4: (
            "I try to keep people satisfied with the way we currently do things.",
            "Ich versuche, andere mit unserer derzeitigen Vorgehensweise zufrieden zu halten.",
            {},
        ),
        5: (
            "I ask people to take on work they would not choose for themselves.",
            "Ich bitte andere, Aufgaben zu übernehmen, die sie sich selbst nicht aussuchen würden.",
            {},
        ),
        6: (
            "I keep working toward a goal while some people are still unhappy about it.",
            "Ich arbeite weiter auf ein Ziel hin, während einige noch unzufrieden damit sind.",
            {},
        ),
        7: (
            "I point out where our usual way of working holds us back, even when people like it.",
            "Ich zeige auf, wo uns unsere gewohnte Arbeitsweise bremst, auch wenn sie beliebt ist.",
            {},
        ),
        8: (
            "I build plans around the way people already like to work.",
            "Ich richte meine Pläne danach aus, wie andere ohnehin gern arbeiten.",
            {},
        ),
        9: (
            "I change my approach quickly when I sense people disagree with it.",
            "Ich ändere mein Vorgehen schnell, wenn ich spüre, dass andere damit nicht einverstanden "
            "sind.",
            {},
        ),
        10: (
            "It matters to me that people leave a conversation with me feeling good.",
            "Mir ist wichtig, dass andere nach einem Gespräch mit mir ein gutes Gefühl haben.",
            {},
        ),
        11: (
            "I would rather see a new approach done clumsily at first than an old one done "
            "perfectly.",
            "Ein neuer Ansatz, der anfangs holprig umgesetzt wird, ist mir lieber als ein alter, der "
            "perfekt umgesetzt wird.",
            {},
        ),
        12: (
            "I stick with an ambitious goal even when most people would prefer an easier one.",
            "Ich halte an einem ehrgeizigen Ziel fest, auch wenn die meisten ein leichteres "
            "vorziehen würden.",
            {},
        ),
        13: (
            "I would rather people feel restless about our results than comfortable with them.",
            "Mir ist es lieber, wenn andere wegen unserer Ergebnisse unruhig sind, als wenn sie sich "
            "damit wohlfühlen.",
            {},
        ),
        14: (
            "I prefer to set goals that people feel comfortable reaching.",
            "Ich setze lieber Ziele, die sich für andere gut erreichbar anfühlen.",
            {},
        ),
        15: (
            "Before we move ahead, I make sure everyone is comfortable with the decision.",
            "Bevor wir weitermachen, stelle ich sicher, dass alle mit der Entscheidung gut leben "
            "können.",
            {},
        ),
        16: (
            "When things are running smoothly, I leave them as they are.",
            "Wenn etwas reibungslos läuft, lasse ich es, wie es ist.",
            {},
        ),
        17: (
            "I ask people to learn new skills even when they are happy with the ones they have.",
            "Ich bitte andere, neue Fähigkeiten zu erlernen, auch wenn sie mit ihren bisherigen "
            "zufrieden sind.",
            {},
        ),
        18: (
            "I carry on with a plan while people are openly criticizing it.",
            "Ich verfolge einen Plan weiter, während andere ihn offen kritisieren.",
            {},
        ),
        19: (
            "If nobody I work with ever pushes back on me, I wonder whether I am asking enough.",
            "Wenn ich von den Menschen, mit denen ich arbeite, nie Gegenwind bekomme, frage ich "
            "mich, ob ich genug fordere.",
            {},
        ),
        20: (
            "When someone pushes back on a new method, I let them keep using the one they know.",
            "Wenn sich jemand gegen eine neue Methode sträubt, lasse ich die Person bei der Methode "
            "bleiben, die sie kennt.",
            {},
        ),
        21: (
            "If a plan upsets people, I look for a version of it they can accept.",
            "Wenn ein Plan andere verärgert, suche ich nach einer Variante, die sie akzeptieren "
            "können.",
            {},
        ),
        22: (
            "I make a point of telling people what is already working well.",
            "Ich lege Wert darauf, anderen zu sagen, was bereits gut läuft.",
            {},
        ),
        23: (
            "When I ask for a difficult change, I look for real commitment, not just going along.",
            "Wenn ich um eine schwierige Veränderung bitte, will ich echtes Engagement sehen, nicht "
            "bloßes Mitmachen.",
            {},
        ),
        24: (
            "When a decision upsets people, I give them time instead of rushing to win them back.",
            "Wenn eine Entscheidung andere verärgert, lasse ich ihnen Zeit, statt sie eilig "
            "zurückgewinnen zu wollen.",
            {},
        ),
    },
    2: {
        1: (
            "When our results look fine, I still ask whether fine is good enough.",
            "Wenn unsere Ergebnisse ordentlich aussehen, frage ich trotzdem, ob „ordentlich“ gut "
            "genug ist.",
            {},
        ),
        2: (
            "I get things moving by starting with what people already want to do.",
            "Ich bringe Dinge in Gang, indem ich bei dem ansetze, was andere ohnehin tun wollen.",
            {},
        ),
        3: (
            "When someone is unhappy with me, I try to fix it right away.",
            "Wenn jemand mit mir unzufrieden ist, versuche ich, das sofort in Ordnung zu bringen.",
            {},
        ),
        4: (
            "I try to keep people satisfied with the way we currently do things.",
            "Ich versuche, andere mit unserer derzeitigen Vorgehensweise zufrieden zu halten.",
            {},
        ),
        5: (
            "I ask people to take on work they would not choose for themselves.",
            "Ich bitte andere, Aufgaben zu übernehmen, die sie sich selbst nicht aussuchen würden.",
            {},
        ),
        6: (
            "I keep working toward a goal while some people are still unhappy about it.",
            "Ich arbeite weiter auf ein Ziel hin, während einige noch unzufrieden damit sind.",
            {},
        ),
        7: (
            "I point out where our usual way of working holds us back, even when people like it.",
            "Ich zeige auf, wo uns unsere gewohnte Arbeitsweise bremst, auch wenn sie beliebt ist.",
            {},
        ),
        8: (
            "I build plans around the way people already like to work.",
            "Ich richte meine Pläne danach aus, wie andere ohnehin gern arbeiten.",
            {},
        ),
        9: (
            "Your team has met its targets three quarters running, and people are pleased. Planning "
            "for next year starts tomorrow. What do you do first?",
            "Ihr Team hat seine Ziele drei Quartale in Folge erreicht, und die Leute sind zufrieden. "
            "Morgen beginnt die Planung für das nächste Jahr. Was tun Sie zuerst?",
            {
                1: (
                    "Ask the team whether the targets were set high enough in the first place.",
                    "Das Team fragen, ob die Ziele überhaupt hoch genug angesetzt waren.",
                ),
                2: (
                    "Thank everyone and build next year's plan on what worked this year.",
                    "Allen danken und den neuen Plan auf dem aufbauen, was sich dieses Jahr bewährt "
                    "hat.",
                ),
                3: (
                    "Keep this year's plan and raise the targets a little.",
                    "Den diesjährigen Plan beibehalten und die Ziele etwas anheben.",
                ),
            },
        ),
        10: (
            "You need your team to move to a new planning tool. Half of them already like it; the "
            "rest prefer the spreadsheets they know.",
            "Ihr Team muss auf ein neues Planungstool umsteigen. Die Hälfte mag es bereits; die "
            "anderen arbeiten lieber mit den Tabellen, die sie kennen.",
            {
                1: (
                    "Ask everyone to move by a set date, and help whoever struggles.",
                    "Alle bitten, bis zu einem festen Termin umzusteigen, und denen helfen, die sich "
                    "schwertun.",
                ),
                2: (
                    "Let each person keep whichever they prefer, as long as plans arrive on time.",
                    "Jede Person nutzen lassen, was ihr lieber ist, solange die Pläne pünktlich "
                    "vorliegen.",
                ),
                3: (
                    "Start with the half who like it and let the others join when they are ready.",
                    "Mit der Hälfte beginnen, die es mag, und die anderen dazukommen lassen, wenn sie "
                    "so weit sind.",
                ),
            },
        ),
        11: (
            "After you announce a decision at a team meeting, two people come to tell you they are "
            "unhappy with it.",
            "Nachdem Sie in einer Teambesprechung eine Entscheidung verkündet haben, kommen zwei "
            "Personen zu Ihnen und sagen, dass sie damit unzufrieden sind.",
            {
                1: (
                    "Keep the decision, and offer to look at it again in a month.",
                    "Bei der Entscheidung bleiben und anbieten, sie in einem Monat erneut zu prüfen.",
                ),
                2: (
                    "Meet them today to hear them out and see what you could change.",
                    "Sich heute mit ihnen zusammensetzen, sie anhören und prüfen, was sich ändern "
                    "ließe.",
                ),
                3: (
                    "Keep going, and let the results make the case for the decision.",
                    "Weitermachen und die Ergebnisse für die Entscheidung sprechen lassen.",
                ),
            },
        ),
        12: (
            "I change my approach quickly when I sense people disagree with it.",
            "Ich ändere mein Vorgehen schnell, wenn ich spüre, dass andere damit nicht einverstanden "
            "sind.",
            {},
        ),
        13: (
            "I hold back a challenge if it would cost me people's goodwill.",
            "Ich verzichte darauf, andere herauszufordern, wenn mich das ihr Wohlwollen kosten "
            "würde.",
            {},
        ),
        14: (
            "Once we have found a better way to work, I switch to it even if we will do it badly at "
            "first.",
            "Sobald wir eine bessere Arbeitsweise gefunden haben, stelle ich darauf um, auch wenn "
            "wir sie anfangs schlecht umsetzen werden.",
            {},
        ),
        15: (
            "I stick with an ambitious goal even when most people would prefer an easier one.",
            "Ich halte an einem ehrgeizigen Ziel fest, auch wenn die meisten ein leichteres "
            "vorziehen würden.",
            {},
        ),
        16: (
            "I would rather people feel restless about our results than comfortable with them.",
            "Mir ist es lieber, wenn andere wegen unserer Ergebnisse unruhig sind, als wenn sie sich "
            "damit wohlfühlen.",
            {},
        ),
        17: (
            "I prefer to set goals that people feel comfortable reaching.",
            "Ich setze lieber Ziele, die sich für andere gut erreichbar anfühlen.",
            {},
        ),
        18: (
            "Before we move ahead, I make sure everyone is comfortable with the decision.",
            "Bevor wir weitermachen, stelle ich sicher, dass alle mit der Entscheidung gut leben "
            "können.",
            {},
        ),
        19: (
            "When things are running smoothly, I leave them as they are.",
            "Wenn etwas reibungslos läuft, lasse ich es, wie es ist.",
            {},
        ),
        20: (
            "Your group follows a routine that works reasonably well, and people like it. You "
            "believe a different way could work much better, but the change would mean months of "
            "disruption.",
            "Ihre Gruppe arbeitet nach einer Routine, die einigermaßen gut funktioniert, und die "
            "Leute mögen sie. Sie glauben, dass ein anderer Weg viel besser funktionieren könnte, "
            "aber die Umstellung würde monatelang für Unruhe sorgen.",
            {
                1: (
                    "Mention your idea and leave it to the group whether to pursue it.",
                    "Die eigene Idee ansprechen und der Gruppe überlassen, ob sie sie weiterverfolgt.",
                ),
                2: (
                    "Leave the routine alone: it works, and people are happy with it.",
                    "Die Routine unangetastet lassen – sie funktioniert, und die Leute sind zufrieden "
                    "damit.",
                ),
                3: (
                    "Press for the change, and tell the group plainly why the routine is not good "
                    "enough.",
                    "Auf die Veränderung drängen und der Gruppe offen sagen, warum die Routine nicht "
                    "gut genug ist.",
                ),
                4: (
                    "Try the new way with a few volunteers first and let the results decide.",
                    "Den neuen Weg erst mit ein paar Freiwilligen testen und die Ergebnisse entscheiden "
                    "lassen.",
                ),
            },
        ),
        21: (
            "A colleague is excellent at work they have done for years. The team now needs someone "
            "to learn a new, difficult skill. They are best placed to learn it, though they would "
            "rather not.",
            "Eine Person in Ihrem Team ist hervorragend in der Arbeit, die sie seit Jahren macht. "
            "Das Team braucht jetzt jemanden, der eine neue, schwierige Fähigkeit erlernt. Diese "
            "Person ist dafür am besten geeignet, würde es aber lieber nicht tun.",
            {
                1: (
                    "Leave them where they excel and find someone else to learn it.",
                    "Die Person dort lassen, wo sie glänzt, und jemand anderen finden, der es lernt.",
                ),
                2: (
                    "Ask them to take it on, and make clear you are counting on them.",
                    "Die Person bitten, es zu übernehmen, und deutlich machen, dass Sie auf sie "
                    "zählen.",
                ),
                3: (
                    "Offer it to them as a choice and respect their answer.",
                    "Es der Person freistellen und ihre Antwort respektieren.",
                ),
            },
        ),
        22: (
            "Halfway through a change you are leading, criticism grows louder and a senior colleague "
            "suggests you slow down.",
            "Mitten in einer Veränderung, die Sie leiten, wird die Kritik lauter, und eine "
            "ranghöhere Kollegin schlägt Ihnen vor, langsamer vorzugehen.",
            {
                1: (
                    "Keep the aim, but drop the parts that draw the most criticism.",
                    "Am Ziel festhalten, aber die Teile streichen, die am meisten Kritik auf sich "
                    "ziehen.",
                ),
                2: (
                    "Slow down and rebuild support before going further.",
                    "Langsamer vorgehen und wieder Rückhalt aufbauen, bevor es weitergeht.",
                ),
                3: (
                    "Keep the pace and the aim, and take the criticism as part of the job.",
                    "Tempo und Ziel beibehalten und die Kritik als Teil der Aufgabe hinnehmen.",
                ),
            },
        ),
        23: (
            "I ask people to learn new skills even when they are happy with the ones they have.",
            "Ich bitte andere, neue Fähigkeiten zu erlernen, auch wenn sie mit ihren bisherigen "
            "zufrieden sind.",
            {},
        ),
        24: (
            "I carry on with a plan while people are openly criticizing it.",
            "Ich verfolge einen Plan weiter, während andere ihn offen kritisieren.",
            {},
        ),
        25: (
            "If nobody I work with ever pushes back on me, I wonder whether I am asking enough.",
            "Wenn ich von den Menschen, mit denen ich arbeite, nie Gegenwind bekomme, frage ich "
            "mich, ob ich genug fordere.",
            {},
        ),
        26: (
            "When someone pushes back on a new method, I let them keep using the one they know.",
            "Wenn sich jemand gegen eine neue Methode sträubt, lasse ich die Person bei der Methode "
            "bleiben, die sie kennt.",
            {},
        ),
        27: (
            "If a plan upsets people, I look for a version of it they can accept.",
            "Wenn ein Plan andere verärgert, suche ich nach einer Variante, die sie akzeptieren "
            "können.",
            {},
        ),
        28: (
            "When our results are close to what we expected, I take them as good results.",
            "Wenn unsere Ergebnisse ungefähr unseren Erwartungen entsprechen, werte ich sie als gute "
            "Ergebnisse.",
            {},
        ),
        29: (
            "I am willing to ask people for a change I know they do not want.",
            "Ich bin bereit, andere um eine Veränderung zu bitten, obwohl ich weiß, dass sie das "
            "nicht wollen.",
            {},
        ),
        30: (
            "I can put up with people's misgivings about a decision for weeks.",
            "Ich kann die Bedenken anderer gegen eine Entscheidung wochenlang aushalten.",
            {},
        ),
        31: (
            "In a review meeting, a well-liked colleague presents results that everyone applauds. "
            "You think they are only average for your market.",
            "In einer Ergebnisbesprechung stellt ein beliebter Kollege Ergebnisse vor, und alle "
            "applaudieren. Ihrer Einschätzung nach sind die Ergebnisse für Ihren Markt nur "
            "durchschnittlich.",
            {
                1: (
                    "Say in the meeting that you think the results are only average for the market.",
                    "In der Besprechung sagen, dass Sie die Ergebnisse für den Markt nur "
                    "durchschnittlich finden.",
                ),
                2: (
                    "Join the applause: the team has earned a good day.",
                    "Mitapplaudieren – das Team hat sich einen guten Tag verdient.",
                ),
                3: (
                    "Tell the colleague afterwards, one to one, that you think there is more to get.",
                    "Dem Kollegen danach unter vier Augen sagen, dass Ihrer Meinung nach mehr drin "
                    "ist.",
                ),
            },
        ),
        32: (
            "Two weeks after your team moved to a new way of handling requests, which you believe is "
            "better, work is slower than before and people are frustrated.",
            "Zwei Wochen nachdem Ihr Team auf ein neues Verfahren für Anfragen umgestellt hat, das "
            "Sie für besser halten, geht die Arbeit langsamer voran als vorher, und die Leute sind "
            "frustriert.",
            {
                1: (
                    "Run the old and the new way side by side for a while.",
                    "Das alte und das neue Verfahren eine Zeit lang parallel laufen lassen.",
                ),
                2: (
                    "Keep the new way and work through the problems with the team.",
                    "Beim neuen Verfahren bleiben und die Probleme gemeinsam mit dem Team angehen.",
                ),
                3: (
                    "Go back to the old way until the new one is better prepared.",
                    "Zum alten Verfahren zurückkehren, bis das neue besser vorbereitet ist.",
                ),
            },
        ),
        33: (
            "Your team would gladly commit to a modest goal for the year. You believe they could "
            "reach a much bigger one, but many of them say it is unrealistic.",
            "Ihr Team würde sich gern auf ein bescheidenes Jahresziel festlegen. Sie glauben, dass "
            "es ein viel größeres erreichen könnte, aber viele im Team sagen, das sei unrealistisch.",
            {
                1: (
                    "Set the modest goal now and raise it once they reach it.",
                    "Jetzt das bescheidene Ziel setzen und es anheben, sobald das Team es erreicht.",
                ),
                2: (
                    "Set the modest goal, which people will pursue gladly.",
                    "Das bescheidene Ziel setzen, das die Leute gern verfolgen werden.",
                ),
                3: (
                    "Set the bigger goal and accept that some people will be unhappy about it for a "
                    "while.",
                    "Das größere Ziel setzen und in Kauf nehmen, dass manche eine Zeit lang unzufrieden "
                    "damit sind.",
                ),
            },
        ),
    },
}
