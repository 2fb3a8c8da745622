"""Realistic boards for the projector tests and screenshots: a group supervision (CISF) and
a family team meeting, 60 cards each in the words practitioners and families use, of varied
lengths. The first 25 of each make the smaller board. Initials and ages only."""

from __future__ import annotations

SUPERVISION = [
    ("reason", "Should the plan move J. (7) to unsupervised weekends with his mother next month?"),
    ("involved", "J. (7) lives with his mother K. (29); mother's partner D. moved in in March."),
    (
        "harm",
        "J. came to school with a bruise on his upper arm in October; K. says he fell off "
        "the climbing frame, school nurse thinks the shape fits a grip.",
    ),
    (
        "danger",
        "School and the worker are worried that if K. drinks while she is alone with J. "
        "in the evenings, J. could be hurt again and nobody would know until Monday.",
    ),
    ("complicating", "Housing is at risk: the landlord has served notice for the end of January."),
    ("strengths", "K. brings J. to school on most days; he arrives fed and in clean clothes."),
    (
        "safety",
        "Grandmother R. (61) has had J. every weekend for three months; "
        "he calls her when things get loud at home, and has done so twice.",
    ),
    (
        "goals",
        "K. will be sober whenever she cares for J., and R. will check in each evening "
        "by phone, so J. feels safe at bedtime; school will see him rested, for three months.",
    ),
    ("next_steps", "Worker meets K. and R. by Friday to write the safety plan together."),
    ("grey", "We don't know who else stays over at weekends."),
    ("harm", "Police were called twice this year after neighbours heard shouting late at night."),
    ("danger", "Worried that J. keeps seeing adults fight and becomes scared of being at home."),
    ("complicating", "D. does not want the agency involved and has not met the worker."),
    ("strengths", "J. loves football; his coach notices how he is and has talked to K. about it."),
    ("strengths", "K. has called the worker back every time, usually the same day."),
    ("safety", "K. went to two alcohol counselling sessions and asked to keep going."),
    ("goals", "J. will tell his teacher he feels safe at home, and school will see him every day."),
    ("next_steps", "Ask school for attendance records since September (worker, this week)."),
    ("grey", "Father's view has not been heard; he lives two hours away."),
    ("involved", "Father M. (33) sees J. once a month; paternal aunt T. is close to J."),
    (
        "harm",
        "It was reported by the school that J. missed 14 school days this term, mostly "
        "Mondays after weekends at home, and that on the days he came in after an absence he "
        "was tired, hungry and said he had been 'looking after mum'. As a result J. has fallen "
        "behind in maths, has missed the school trip he was looking forward to, and his teacher "
        "says he has become quiet and withdrawn in class since the summer holidays.",
    ),
    (
        "complicating",
        "Three workers on this case in a year; K. says she is tired of telling her story.",
    ),
    ("strengths", "J. is doing well in reading; his teacher says he is curious and kind."),
    ("next_steps", "Offer D. a meeting of his own, at a time that fits his shifts."),
    ("grey", "Whether the bruise matches the fall K. describes; no one saw it happen."),
    # the larger board goes on from here
    (
        "harm",
        "In September J. told his teacher he had no dinner the night before and that "
        "mum was 'sleeping on the sofa and wouldn't wake up'.",
    ),
    (
        "danger",
        "Worried that if the family loses the flat and moves in with D.'s friends, J. "
        "will be around heavy drinking every night with no adult sober enough to look after him.",
    ),
    (
        "complicating",
        "K.'s own childhood in care makes her wary of any worker who visits unannounced.",
    ),
    ("complicating", "Money is short: K.'s hours at the supermarket were cut in November."),
    ("strengths", "K. is proud of J. and speaks about him warmly; she knows his friends' names."),
    ("strengths", "R. is willing to be part of a safety plan and has a spare room."),
    ("strengths", "K. agreed to a home visit and had the flat tidy and food in the fridge."),
    (
        "safety",
        "When K. has been drinking she has phoned R. to collect J.; R. came each time "
        "(three times since August, confirmed by R. and J.).",
    ),
    ("safety", "J. knows R.'s number by heart and has a phone at his grandmother's."),
    (
        "goals",
        "K. and D. will settle disagreements calmly and away from J., so he sleeps "
        "through the night; we will see no police callouts for three months.",
    ),
    (
        "next_steps",
        "Referral to the family alcohol service for K., with her agreement (worker, by 12 Dec).",
    ),
    ("next_steps", "R. and K. write down who J. can call and when, and give a copy to school."),
    ("next_steps", "Review the plan at the next group supervision in four weeks."),
    ("grey", "How much D. drinks, and whether he is ever alone with J."),
    ("grey", "What J. says when asked by someone he trusts, without K. in the room."),
    ("grey", "Whether K.'s counselling has continued since the second session."),
    ("involved", "School: class teacher Ms B., school nurse, football coach L."),
    (
        "harm",
        "K. has said she 'lost it' once and shook J. when he would not get dressed; she "
        "cried when she told the worker and said it frightened her too. It was reported that "
        "this happened on a Monday morning after a weekend when D. had been drinking heavily and "
        "the couple had argued until late; J. told his teacher that 'mum was really angry and "
        "grabbed me' and that his shoulder hurt. The school nurse saw no mark by the afternoon. "
        "K. says it has not happened again and that she now leaves the room when she feels "
        "herself getting angry, which J. also describes.",
    ),
    (
        "danger",
        "Worried that K. could lose her temper again on a bad morning and J. could be "
        "hurt, especially when she has been drinking the night before.",
    ),
    ("complicating", "No family car; R. relies on two buses to reach the flat."),
    ("strengths", "The coach has offered to bring J. home after Saturday training."),
    ("safety", "K. has kept every appointment at the GP this autumn."),
    ("goals", "R. will have J. from Friday after school to Sunday evening while the plan is new."),
    ("next_steps", "Worker to ask the GP, with K.'s consent, what support is in place."),
    ("grey", "Whether the landlord's notice can be challenged; no one has looked at the tenancy."),
    ("strengths", "J. says his mum 'makes the best pancakes' and that weekends at Gran's are fun."),
    ("complicating", "K. has asthma and has been unwell on and off since October."),
    ("harm", "Last year a neighbour found J. outside the building at 10 pm in his pyjamas."),
    (
        "safety",
        "After the police call in June K. asked D. to stay elsewhere for two weeks; he did.",
    ),
    (
        "next_steps",
        "Housing adviser appointment for K. before the notice runs out (worker books it).",
    ),
    ("grey", "We have not checked the story about the neighbour with the neighbour."),
    ("strengths", "K. has asked for help with bedtime routines; she wants J. to sleep better."),
    ("goals", "J. will go to school every day this term and his teacher will see him settled."),
    (
        "danger",
        "Worried that J. will stop telling adults what happens at home if he thinks "
        "it will get his mum in trouble.",
    ),
    ("next_steps", "Ask J., with his grandmother there, what would help him feel safe at home."),
]

FAMILY = [
    ("involved", "A. (12) and her brother B. (5); mum S.; Nana G. lives round the corner."),
    ("worries", "Mum is worried that A. is staying out late and won't say where she is."),
    ("working_well", "Nana G. picks B. up from school every day and gives him his tea."),
    ("next", "S. and Nana G. agree a curfew for A. together and tell her on Sunday."),
    ("questions", "Who are the friends A. is with in the evenings?"),
    ("worries", "The social worker is worried that when S. works nights the children are alone."),
    ("working_well", "A. loves drawing and has been picked for the school art show."),
    ("working_well", "S. has kept the house warm and the children fed through a hard winter."),
    ("next", "Social worker to look into childcare help for the nights S. works (by next week)."),
    ("questions", "Can S. change her shifts at work, and who would she ask?"),
    ("worries", "A. says she feels she has to look after B. too much and has no time for herself."),
    ("working_well", "The family talk at dinner most nights and laugh together."),
    ("next", "A. gets two evenings a week that are just hers: art club and time with friends."),
    ("questions", "Does B.'s school know what is happening at home?"),
    ("involved", "Family friend P. has offered help; uncle R. lives in another city."),
    ("worries", "Nana G. worries that S. is exhausted and doesn't ask for help."),
    ("working_well", "B. is settled at school and his teacher says he is happy."),
    ("next", "Uncle R. will phone every Sunday to talk to the children and to S."),
    ("questions", "What does A. want to happen? We should ask her on her own as well."),
    (
        "worries",
        "B. had a fall at home in January when A. was looking after him on her own "
        "while mum was at work; he cut his head on the table and needed stitches. A. was "
        "very frightened, called Nana G. and then an ambulance, and has said since that she "
        "doesn't want to be left in charge of B. at night again because she's scared "
        "something worse will happen and it will be her fault.",
    ),
    ("working_well", "S. took B. to hospital straight away and told the school the next day."),
    ("next", "Next meeting in six weeks, at Nana G.'s house, with A. choosing the snacks."),
    ("questions", "Is there a youth club near the flats that A. would like?"),
    ("worries", "The school is worried that A. is tired in the mornings and late twice a week."),
    ("working_well", "P. has looked after the children before and they like her."),
    # the larger board goes on from here
    (
        "worries",
        "A. says she has been in a group chat where older teenagers talk about "
        "meeting up at the park at night; mum did not know about it until this week.",
    ),
    ("worries", "S. is worried money will run out before the end of the month again."),
    ("working_well", "Nana G. has a spare key and comes round when S. calls her."),
    ("working_well", "A. told her mum the truth about the group chat when she was asked."),
    ("next", "P. will stay over on the two nights a week S. works, starting next Monday."),
    (
        "next",
        "S. will talk to her manager about day shifts; social worker writes a letter to help.",
    ),
    ("questions", "Does the family get all the benefits they are entitled to?"),
    ("questions", "How does B. feel about A. looking after him? Ask him with Nana there."),
    ("involved", "School: A.'s form tutor Mr H.; B.'s class teacher Mrs K."),
    ("worries", "Nana G. has had a bad hip this winter and can't manage the stairs some days."),
    ("working_well", "The children know the safety plan phone numbers by heart."),
    ("next", "A. and S. make a list together of who A. can call if she feels unsafe out."),
    ("questions", "Would A. like a mentor from the youth service?"),
    (
        "worries",
        "B. has been wetting the bed again since the fall in January; mum thinks he is "
        "scared at night when the flat is quiet and A. is on her phone.",
    ),
    ("working_well", "S. reads to B. every night she is home and he falls asleep quickly."),
    ("next", "Night light and a bedtime story recording from mum for the nights she works."),
    ("questions", "Who could go with S. to the benefits appointment?"),
    ("worries", "A. has been sharing her location with people she has not met in person."),
    ("working_well", "A. is a loyal friend and other children look up to her."),
    ("next", "School to set up a quiet place for A. to do homework at lunchtime."),
    ("questions", "What does the art teacher see in A. that we could build on?"),
    ("worries", "Mum does not want the children to go into care and is scared of saying too much."),
    ("working_well", "The family have come to every meeting and brought their own ideas."),
    ("next", "Social worker will check in by phone every Friday until the next meeting."),
    ("questions", "Is there a family support worker who could help on weekday evenings?"),
    ("worries", "Nobody is sure how late A. stays out at weekends."),
    ("working_well", "Uncle R. has offered to have both children for a week in the summer."),
    ("next", "A. will text mum when she arrives somewhere and when she leaves, every time."),
    ("questions", "What happened the night B. fell? A. and S. remember it differently."),
    ("working_well", "Nana G. and S. have made up after last year's argument and talk every day."),
    ("next", "Everyone gets a copy of this plan in the language they read best."),
    ("worries", "The neighbour above plays loud music late and the children cannot sleep."),
    ("working_well", "B. has a best friend next door whose mum helps out."),
    ("next", "P. and Nana G. swap numbers with the neighbour's mum for emergencies."),
    ("questions", "Could the housing office move the family to a quieter flat?"),
]

# A spotlit danger statement at the item limit (2,000 characters), for the spotlight's fit.
LONG_DANGER = (
    "The school, the worker and J.'s grandmother are worried that if K. keeps drinking in "
    "the evenings when she is alone with J., and if D. keeps coming home late after drinking "
    "with friends, there will be more nights like the one in October, when the neighbours "
    "heard shouting and a crash and J. came to school the next morning with a bruise on his "
    "arm that nobody could explain. "
) * 6
LONG_DANGER = LONG_DANGER[:2000]
