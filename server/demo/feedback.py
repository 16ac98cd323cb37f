"""Words the demo people wrote: reflections, links, assessor feedback and rubric comments.
Kept apart from the seeding code so each reads on its own."""

from typing import Any

from server.demo.reflections import LONG_REFLECTIONS

REFLECTIONS = {
    "working-memory": (
        "Draft. The original fractions warm-up asked students to read a four-step "
        "instruction, remember the rule for common denominators and copy the problems from "
        "the board. Three of my students lost their place every time. So far I have split "
        "the instructions into one card per step..."
    ),
    "equivalent-fractions": (
        "We started with paper strips: students folded thirds, then folded each third in "
        "half and noticed the same length was now called 4/6. Student A said, \"It's the same "
        'piece of paper, you just cut it more." Student B explained on the number line that '
        '2/3 and 4/6 "land on the same spot because the jumps are smaller but there are '
        'more of them". Only after both representations did we write the rule, and '
        'students phrased it as "cut every piece into the same number of pieces".'
    ),
    "formative-checks-with-forms": (
        "The second check showed three clear groups: students who confused slope with "
        "y-intercept, students who could compute slope but not interpret it, and students "
        "ready to move on. The next day each group had its own task card, and I spent my "
        "time with the first group using the graphs from their wrong answers."
    ),
    **LONG_REFLECTIONS,
}

LINKS = {
    "equivalent-fractions": "https://docs.example.org/riverbend/equivalent-fractions-task",
    "formative-checks-with-forms": "https://forms.example.org/riverbend/slope-check-2",
    "collaborative-docs-in-class": "https://docs.example.org/riverbend/lab-conclusion-group-4",
}

MOTIVATION_NOT_YET: dict[str, Any] = {  # feedback text, scores [(met, comment)]
    "feedback": (
        "Your choice board is a strong start and students clearly responded to it. To earn "
        "this credential, make progress visible to students in small steps and bring in "
        "student voice: run a short survey before and after the unit and compare the "
        "answers for two or three focus students. Your reflection tells me engagement went "
        "up; the rubric asks you to show it."
    ),
    "scores": (
        (True, "Two real choices, both tied to the persuasive-writing goal. Well done."),
        (
            False,
            "Students only see their progress when the final piece is graded. Try a "
            "checklist or checkpoints they mark themselves.",
        ),
        (
            False,
            "Relevance is explained by you in the plan; I could not find students "
            "saying why it mattered to them.",
        ),
        (False, "No before/after student-voice data yet. A three-question survey would be enough."),
    ),
}

CHECKING_AWARDED: dict[str, Any] = {  # feedback text, comments
    "feedback": (
        "Excellent work. Your hinge questions are precise and every wrong answer tells you "
        "something, and your reflection is honest about the question that did not work. "
        "You are welcome to apply to review this credential for others."
    ),
    "comments": (
        "Each hinge question targets the area/perimeter confusion directly.",
        "Whiteboard photos show the whole class responding at once.",
        "Pairing students with grid paper at the first hinge was a clear, quick decision.",
        "The exit ticket visibly shaped the next day's opening groups.",
        "Naming the flawed second hinge question and rewriting it shows real reflection.",
    ),
}

SHORT_MET_COMMENT = "Clearly shown in your evidence."
