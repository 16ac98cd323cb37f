"""Demo stack: Formative Assessment (Checking for Understanding)."""

from server.demo.content import CredentialContent, Criterion, Requirement, StackContent

CHECKING_FOR_UNDERSTANDING = CredentialContent(
    slug="checking-for-understanding",
    title="Checking for Understanding",
    competency=(
        "The educator checks the understanding of every student at planned points in a "
        "lesson, using techniques that reveal thinking rather than volunteers' answers, and "
        "adjusts instruction on the spot."
    ),
    key_method=(
        "Plan hinge questions at two or three decision points in a lesson, collect "
        "responses from all students at once (mini whiteboards, hand signals, cards), and "
        "decide in the moment whether to move on, reteach or regroup."
    ),
    components=(
        "Write a hinge question for each decision point, with answers that reveal misconceptions",
        "Collect every student's response at once (all-student response), not hands up",
        "Use no-hands-up questioning with wait time for discussion questions",
        "Decide and act on the spot: move on, reteach or pair students to explain",
        "Close the lesson with an exit ticket that shapes tomorrow's opening",
    ),
    research=(
        "Black and Wiliam's (1998) review of formative assessment found that using "
        "evidence of learning to adapt teaching produced some of the largest gains "
        "reported for any educational intervention, with the biggest benefits for "
        "lower-attaining students. Wiliam (2011) describes hinge questions and all-student "
        "response as practical ways to gather that evidence within a lesson.\n\n"
        "Rosenshine's (2012) principles of instruction, drawn from studies of effective "
        "teachers, include asking many questions and checking the responses of all "
        "students. Fisher and Frey (2014) show how checking for understanding can be "
        "planned into every phase of a lesson rather than left to the end."
    ),
    resources=(
        "Wiliam, Embedded Formative Assessment (2nd ed., 2018)",
        "Black & Wiliam, Inside the Black Box (Phi Delta Kappan, 1998)",
        "Fisher & Frey, Checking for Understanding (2nd ed., ASCD, 2014)",
        "Rosenshine, Principles of Instruction (American Educator, 2012) | https://www.aft.org/sites/default/files/periodicals/Rosenshine.pdf",
    ),
    requirements=(
        Requirement(
            "file", "Your lesson plan with the hinge questions and decision points marked."
        ),
        Requirement(
            "photo",
            "Photos of all-student responses (whiteboards held up, cards, "
            "exit tickets) with no faces or names.",
            2,
            5,
        ),
        Requirement(
            "video",
            "Optional: a clip (under 5 minutes) of one decision point, "
            "filmed from the back of the room.",
            0,
            1,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): what the responses showed at "
            "each decision point and what you did in the moment.",
        ),
    ),
    criteria=(
        Criterion(
            "Planned hinge questions",
            "Hinge questions are planned at decision points, and each wrong answer "
            "points to a specific misconception.",
            "Questions are improvised, or their answers would not tell the teacher "
            "what to do next.",
        ),
        Criterion(
            "Every student responds",
            "Responses are collected from all students at once.",
            "Evidence comes mainly from volunteers or a few students.",
        ),
        Criterion(
            "In-the-moment decision",
            "The teacher describes acting on the responses during the lesson.",
            "The lesson continues as planned regardless of the responses.",
        ),
        Criterion(
            "Next-day follow-up",
            "Exit-ticket results shape the opening of the next lesson.",
            "Exit tickets are collected but not used.",
        ),
        Criterion(
            "Honest reflection",
            "The reflection names what did not work and what will change.",
            "The reflection describes only successes.",
        ),
    ),
    points=200,
    credit_hours=3.0,
)

STACK = StackContent(
    slug="formative-assessment",
    title="Formative Assessment",
    category="Assessment",
    summary=(
        "Gather evidence of every student's understanding during the lesson and use it "
        "to decide what to teach next, the practice with some of the strongest research "
        "behind it."
    ),
    credentials=(CHECKING_FOR_UNDERSTANDING,),
)
