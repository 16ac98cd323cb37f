"""Demo stack: Classroom Technology (Collaborative Docs in Class, Formative Checks with
Forms)."""

from server.demo.content import CredentialContent, Criterion, Requirement, StackContent

COLLABORATIVE_DOCS = CredentialContent(
    slug="collaborative-docs-in-class",
    title="Collaborative Docs in Class",
    competency=(
        "The educator uses a shared document so that small groups write, think and give "
        "feedback together, with clear roles, individual accountability and the teacher "
        "able to see and respond to each group's thinking as it happens."
    ),
    key_method=(
        "Design one collaborative writing or problem-solving task in a shared document "
        "with assigned roles and a visible structure, monitor groups live through the "
        "document, and use comments to push thinking during the lesson."
    ),
    components=(
        "Set up one document per group from a template with headings and sentence starters",
        "Assign rotating roles (writer, checker, questioner) and make each contribution visible",
        "Teach comment etiquette: specific, kind, and about the work",
        "Monitor the documents live and intervene with comments while groups work",
        "Use version history to see individual contributions when grading",
    ),
    research=(
        "Cooperative learning raises achievement when it combines positive "
        "interdependence with individual accountability (Johnson & Johnson, 2009; Slavin, "
        "1995). Without both, groups often let one student do the work. In their "
        "meta-analysis of writing instruction, Graham and Perin (2007) found collaborative "
        "writing arrangements had a strong positive effect on the quality of students' "
        "writing.\n\n"
        "Shared documents make each student's contribution traceable and let the teacher "
        "see thinking while there is still time to respond, which is the core of formative "
        "assessment (Black & Wiliam, 1998)."
    ),
    resources=(
        "ISTE Standards for Educators | https://www.iste.org/standards/iste-standards-for-teachers",
        "Google Docs: work with comments and version history | https://support.google.com/docs",
        "Graham & Perin, Writing Next (Carnegie Corporation, 2007)",
    ),
    requirements=(
        Requirement(
            "file", "The document template you gave groups (blank, as students received it)."
        ),
        Requirement(
            "photo",
            "Screenshots of two groups' documents mid-lesson showing your "
            "live comments (student names hidden).",
            2,
            4,
        ),
        Requirement(
            "link",
            "Optional: a view-only link to an anonymised copy of one group's finished document.",
            0,
            1,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): how roles worked, what your "
            "live comments changed, and how you checked individual contributions.",
        ),
    ),
    criteria=(
        Criterion(
            "Structured task",
            "The template gives groups a clear structure and a task that needs everyone's input.",
            "The document is blank or the task could be done by one student alone.",
        ),
        Criterion(
            "Roles and accountability",
            "Roles are assigned and individual contributions are visible and checked.",
            "There are no roles, or no way to tell who contributed what.",
        ),
        Criterion(
            "Live feedback",
            "The teacher's comments during the lesson prompt further thinking.",
            "Comments are only added after the lesson, or only praise or correct spelling.",
        ),
        Criterion(
            "Reflection on learning",
            "The reflection connects the use of the tool to what students learned.",
            "The reflection is about the tool's features rather than student learning.",
        ),
    ),
    points=100,
    credit_hours=1.5,
)

FORMATIVE_CHECKS_WITH_FORMS = CredentialContent(
    slug="formative-checks-with-forms",
    title="Formative Checks with Forms",
    competency=(
        "The educator uses short online forms to check every student's understanding "
        "during a unit, reads the results quickly, and changes the next lesson because of "
        "what they show."
    ),
    key_method=(
        "Write three short form-based checks (4 to 6 questions each) for one unit, with "
        "answer choices built from common misconceptions; review the results the same day "
        "and plan a targeted response."
    ),
    components=(
        "Write multiple-choice distractors from real student misconceptions",
        "Include one question where students explain their reasoning in a sentence",
        "Review the summary the same day and sort students into response groups",
        "Plan and teach a responsive activity (reteach, extension or peer explanation)",
    ),
    research=(
        "Retrieval practice, answering questions about what was learned, strengthens "
        "long-term memory more than restudying (Roediger & Karpicke, 2006). Black and "
        "Wiliam's (1998) review found substantial gains when teachers used assessment "
        "information to adapt teaching, and Hattie and Timperley (2007) showed feedback is "
        "most useful when it tells students where they are going and what to do next.\n\n"
        "Digital forms make it practical to hear from every student, not only the ones who "
        "raise their hands, and to act on the results the same day."
    ),
    resources=(
        "Microsoft Forms help | https://support.microsoft.com/forms",
        "Google Forms help | https://support.google.com/docs",
        "Wiliam, Embedded Formative Assessment (2nd ed., 2018)",
    ),
    requirements=(
        Requirement("link", "Links to your three forms (a view-only or copy link).", 1, 3),
        Requirement(
            "file", "The results summary of one check (export or screenshot, anonymised).", 1, 2
        ),
        Requirement(
            "text",
            "Describe the response groups you formed from one check and "
            "what you taught each group the next day.",
        ),
    ),
    criteria=(
        Criterion(
            "Diagnostic questions",
            "Distractors reflect real misconceptions, so wrong answers tell the "
            "teacher something specific.",
            "Wrong answers are random or obviously wrong, so they reveal little.",
        ),
        Criterion(
            "Reasoning captured",
            "At least one question asks students to explain their thinking.",
            "Questions capture only final answers.",
        ),
        Criterion(
            "Timely review",
            "Results are reviewed before the next lesson.",
            "Results are reviewed later or only used for grades.",
        ),
        Criterion(
            "Instruction adapted",
            "The next lesson visibly changed for specific groups because of the results.",
            "The plan continued unchanged, or the change is not linked to the data.",
        ),
    ),
    points=100,
    credit_hours=1.5,
)

STACK = StackContent(
    slug="classroom-technology",
    title="Classroom Technology",
    category="Technology",
    summary=(
        "Use everyday tools (shared documents and online forms) to make student thinking "
        "visible while there is still time to respond to it."
    ),
    credentials=(COLLABORATIVE_DOCS, FORMATIVE_CHECKS_WITH_FORMS),
)
