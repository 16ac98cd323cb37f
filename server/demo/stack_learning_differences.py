"""Demo stack: Learning Differences (Motivation, Working Memory, Executive Function)."""

from server.demo.content import CredentialContent, Criterion, Requirement, StackContent

MOTIVATION = CredentialContent(
    slug="motivation",
    title="Motivation",
    competency=(
        "The educator designs learning experiences that support students' autonomy, "
        "competence and sense of belonging, and adjusts them for students whose learning "
        "differences have made school feel like a place where effort does not pay off."
    ),
    key_method=(
        "Plan one unit segment (3 to 5 lessons) around structured choice, visible progress "
        "and an explicit connection to students' own goals, then use a short student voice "
        "check to see whether engagement changed, especially for students who usually "
        "disengage."
    ),
    components=(
        "Offer meaningful choice in how students practise or show learning, within clear limits",
        "Break the goal into short, reachable steps so students can see themselves progress",
        "Connect the content to a purpose students name themselves (a utility-value prompt)",
        "Give feedback that names the strategy and effort that worked, not fixed ability",
        "Collect student voice before and after and compare it for a focus group of students",
    ),
    research=(
        "Self-determination theory (Deci & Ryan, 1985; Ryan & Deci, 2000) holds that "
        "students sustain effort when three needs are met: autonomy, competence and "
        "relatedness. Classroom studies show that even small, structured choices raise "
        "engagement, while controlling language lowers it.\n\n"
        "Expectancy-value research (Eccles & Wigfield, 2002) adds that students invest when "
        "they expect to succeed and see the task as worth doing. Hulleman and Harackiewicz "
        "(2009) found that asking high-school science students to write about how the "
        "content related to their lives raised interest and grades, most of all for "
        "students with low expectations of success. Students with learning differences "
        "often have a long history of effort without visible results, so making progress "
        "visible in small steps matters especially for them."
    ),
    resources=(
        "Center for Self-Determination Theory | https://selfdeterminationtheory.org/",
        "CAST Universal Design for Learning Guidelines: Engagement | https://udlguidelines.cast.org/",
        "Understood: motivation and learning differences | https://www.understood.org/",
    ),
    requirements=(
        Requirement(
            "file",
            "Your plan for the 3 to 5 lessons, marking where students make "
            "choices, where progress becomes visible and where they connect the "
            "content to their own goals.",
            1,
            2,
        ),
        Requirement(
            "photo",
            "Photos of student work or choice boards from at least two "
            "different students (no faces, no names).",
            2,
            4,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): what the student-voice check "
            "showed before and after, what changed for your focus students, and "
            "what you will keep or change.",
        ),
    ),
    criteria=(
        Criterion(
            "Structured choice",
            "The plan offers at least two real choices tied to the learning goal, "
            "with clear limits students can manage.",
            "Choices are missing, cosmetic (colour, font), or unrelated to the goal.",
        ),
        Criterion(
            "Visible progress",
            "Students can see their own progress in small steps (tracker, checkpoints, "
            "before/after work).",
            "Progress is only visible to the teacher or only at the end of the unit.",
        ),
        Criterion(
            "Purpose and relevance",
            "Students state in their own words why the learning matters to them.",
            "Relevance is asserted by the teacher but not voiced by students.",
        ),
        Criterion(
            "Evidence of impact",
            "The reflection compares student-voice data before and after and names "
            "what changed for specific (anonymised) students.",
            "The reflection describes the activity but gives no before/after evidence.",
        ),
    ),
    points=150,
    credit_hours=2.0,
)

WORKING_MEMORY = CredentialContent(
    slug="working-memory",
    title="Working Memory",
    competency=(
        "The educator recognises when a task overloads students' working memory and "
        "redesigns instruction so that all students, including those with weak working "
        "memory, can hold and use what they need to learn."
    ),
    key_method=(
        "Audit one lesson for working-memory load, then reteach it with chunked "
        "instructions, worked examples and external memory aids, and compare how students "
        "manage the task."
    ),
    components=(
        "Give multi-step instructions one step at a time, and leave them visible",
        "Provide worked examples before independent practice, fading the support step by step",
        "Offer external memory aids: checklists, anchor charts, vocabulary banks",
        "Remove split attention by placing labels and explanations next to what they describe",
        "Watch for overload signs (losing the place, skipping steps) and respond in the moment",
    ),
    research=(
        "Working memory holds only a few items at a time (Baddeley & Hitch, 1974; Cowan, "
        "2001), and everything a student must keep in mind while reading instructions, "
        "recalling facts and solving a problem competes for that space. Cognitive load "
        "theory (Sweller, 1988) shows that worked examples and well-integrated materials "
        "free capacity for learning, while unguided problem solving can swamp novices.\n\n"
        "Gathercole and Alloway (2008) found that children with poor working memory often "
        "look inattentive: they lose track of long instructions and abandon tasks, and they "
        "are rarely identified as having a memory difficulty. Reducing load in the "
        "classroom helps them most and costs other students nothing."
    ),
    resources=(
        "Gathercole & Alloway, Working Memory and Learning: A Practical Guide for Teachers (2008)",
        "Rosenshine, Principles of Instruction (American Educator, 2012) | https://www.aft.org/sites/default/files/periodicals/Rosenshine.pdf",
        "Deans for Impact, The Science of Learning | https://deansforimpact.org/resources/the-science-of-learning/",
    ),
    requirements=(
        Requirement(
            "file",
            "The original lesson and your redesigned version, with the "
            "load-reducing changes highlighted or annotated.",
        ),
        Requirement(
            "photo",
            "Photos of the memory aids or worked examples as students used them in the lesson.",
            1,
            3,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): where the original task "
            "overloaded students, what you changed, and what you saw in student work "
            "afterwards.",
        ),
        Requirement("link", "Optional: a link to a short video or slide deck you used.", 0, 1),
    ),
    criteria=(
        Criterion(
            "Load audit",
            "Identifies specific points where students must hold too much at once, with reasons.",
            "Describes the lesson as 'hard' without locating where the load comes from.",
        ),
        Criterion(
            "Chunked instructions",
            "Instructions are given in steps and stay visible while students work.",
            "Instructions are still delivered all at once or only spoken.",
        ),
        Criterion(
            "Worked examples and aids",
            "Worked examples or memory aids are used and then faded deliberately.",
            "Aids are absent, or provided permanently with no plan to fade them.",
        ),
        Criterion(
            "Responsive reflection",
            "The reflection links changes to observed student behaviour or work.",
            "The reflection lists changes but does not say what happened as a result.",
        ),
    ),
    points=150,
    credit_hours=2.0,
)

EXECUTIVE_FUNCTION = CredentialContent(
    slug="executive-function",
    title="Executive Function",
    competency=(
        "The educator explicitly teaches and scaffolds planning, organising and "
        "self-monitoring so that students who struggle with executive function can start, "
        "sustain and finish multi-step work."
    ),
    key_method=(
        "Teach one executive skill (for example, breaking a project into steps) through "
        "modelling, guided practice and a gradually withdrawn scaffold, over two to three "
        "weeks."
    ),
    components=(
        "Name the executive skill and model it aloud with a real class task",
        "Provide a visual scaffold (planner, checklist, timer) students use during work",
        "Build in check-ins where students compare their plan with their progress",
        "Fade the scaffold on a stated schedule as students show they can self-manage",
    ),
    research=(
        "Executive functions (working memory, inhibitory control and cognitive "
        "flexibility) predict school success as strongly as IQ does (Diamond, 2013). They "
        "develop through adolescence and improve with practice, especially when the "
        "practice is embedded in ordinary activities rather than drilled in isolation.\n\n"
        "Dawson and Guare (2010) describe how teachers can externalise planning and "
        "self-monitoring and then hand them back to the student gradually. A report for the "
        "US Institute of Education Sciences (Zelazo, Blair & Willoughby, 2016) concludes "
        "that explicit instruction with scaffolds that are later withdrawn is among the most "
        "promising classroom approaches."
    ),
    resources=(
        "Harvard Center on the Developing Child: Executive Function | https://developingchild.harvard.edu/science/key-concepts/executive-function/",
        "Dawson & Guare, Executive Skills in Children and Adolescents (2nd ed., 2010)",
        "Zelazo, Blair & Willoughby, Executive Function: Implications for Education (IES, 2016) | https://ies.ed.gov/ncer/pubs/20172000/",
    ),
    requirements=(
        Requirement(
            "photo",
            "Photos of the scaffold at the start and after fading (e.g. a "
            "full checklist and a student-made one).",
            2,
            4,
        ),
        Requirement(
            "video",
            "Optional: a short clip (under 3 minutes) of you modelling the "
            "skill aloud. Film only yourself and the board.",
            0,
            1,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): which skill you taught, how "
            "you faded the scaffold, and evidence that two students became more "
            "independent.",
        ),
    ),
    criteria=(
        Criterion(
            "Explicit modelling",
            "The skill is named and modelled aloud with a real task before students try it.",
            "Students are told to 'get organised' without being shown how.",
        ),
        Criterion(
            "Usable scaffold",
            "Students use a concrete scaffold while working, and the evidence shows it in use.",
            "A scaffold exists on paper but there is no sign students used it.",
        ),
        Criterion(
            "Planned fading",
            "The scaffold is withdrawn on a stated schedule tied to student progress.",
            "The scaffold stays unchanged or disappears without a plan.",
        ),
        Criterion(
            "Growth in independence",
            "The reflection shows at least two students doing more of the skill on their own.",
            "The reflection does not show change in what students do independently.",
        ),
    ),
    points=175,
    credit_hours=2.5,
)

STACK = StackContent(
    slug="learning-differences",
    title="Learning Differences",
    category="Inclusive Practice",
    summary=(
        "Understand how motivation, working memory and executive function shape learning, "
        "and adapt everyday instruction so students with learning differences can show "
        "what they know."
    ),
    credentials=(MOTIVATION, WORKING_MEMORY, EXECUTIVE_FUNCTION),
)
