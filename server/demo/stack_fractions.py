"""Demo stack: Fractions Foundations (Fractions as Numbers, Equivalent Fractions,
Number-Line Reasoning)."""

from server.demo.content import CredentialContent, Criterion, Requirement, StackContent

IES_GUIDE = (
    "IES Practice Guide: Developing Effective Fractions Instruction for Kindergarten "
    "Through 8th Grade (2010) | https://ies.ed.gov/ncee/wwc/PracticeGuide/15"
)

FRACTIONS_AS_NUMBERS = CredentialContent(
    slug="fractions-as-numbers",
    title="Fractions as Numbers",
    competency=(
        "The educator teaches fractions as numbers with magnitudes, not only as parts of a "
        "shape, so that students can compare, order and reason about the size of fractions."
    ),
    key_method=(
        "Teach a short sequence (3 to 4 lessons) that moves students from part-whole "
        "models to measurement models (fraction strips, lengths, number lines) and asks "
        "them to estimate and justify the size of fractions."
    ),
    components=(
        "Use measurement contexts (lengths, fraction strips) alongside area models",
        "Ask students to estimate a fraction's size before calculating (is 5/8 near 0, 1/2 or 1?)",
        "Compare fractions with benchmarks and unit fractions, not only common denominators",
        "Surface and discuss the whole-number bias (thinking 1/8 > 1/6 because 8 > 6)",
    ),
    research=(
        "Understanding fraction magnitude in fifth grade predicts algebra achievement in "
        "high school, even after controlling for whole-number knowledge and IQ (Siegler et "
        "al., 2012). The IES practice guide on fractions (Siegler et al., 2010) recommends "
        "helping students recognise that fractions are numbers and that they expand the "
        "number system beyond whole numbers, with number lines as a central "
        "representation.\n\n"
        "Intervention studies by Fuchs and colleagues (2013) found that an emphasis on the "
        "measurement interpretation of fractions improved at-risk fourth graders' "
        "understanding more than a part-whole emphasis did."
    ),
    resources=(
        IES_GUIDE,
        "Illustrative Mathematics, grade 3 and 4 fraction units | https://illustrativemathematics.org/",
        "Lamon, Teaching Fractions and Ratios for Understanding (3rd ed., 2012)",
    ),
    requirements=(
        Requirement(
            "file",
            "Your lesson sequence (3 to 4 lessons) showing where students "
            "move from part-whole to measurement models.",
        ),
        Requirement(
            "photo",
            "Photos of student work where students estimate or compare "
            "fraction sizes and explain why (no names).",
            2,
            4,
        ),
        Requirement(
            "text",
            "A reflection (300 to 500 words): which misconceptions you saw, "
            "how students' reasoning about size changed, and one next step.",
        ),
    ),
    criteria=(
        Criterion(
            "Measurement models",
            "Lessons use length or number-line models, not only pies and rectangles.",
            "Fractions appear only as shaded parts of shapes.",
        ),
        Criterion(
            "Magnitude reasoning",
            "Students estimate and compare sizes and justify with benchmarks or unit fractions.",
            "Students compare only by procedure (cross-multiplying, common "
            "denominators) without reasoning about size.",
        ),
        Criterion(
            "Misconceptions addressed",
            "The whole-number bias or another named misconception is surfaced and "
            "discussed with students.",
            "Misconceptions are not mentioned, or corrected without discussion.",
        ),
        Criterion(
            "Reflection on student thinking",
            "The reflection quotes or describes specific student reasoning before and after.",
            "The reflection describes the lessons but not students' thinking.",
        ),
    ),
    points=125,
    credit_hours=1.5,
)

EQUIVALENT_FRACTIONS = CredentialContent(
    slug="equivalent-fractions",
    title="Equivalent Fractions",
    competency=(
        "The educator helps students understand why fractions are equivalent (the same "
        "point on the number line, the same amount of a whole) before teaching the "
        "multiply-top-and-bottom rule."
    ),
    key_method=(
        "Use partitioning tasks (fraction strips, number lines, area models) where students "
        "discover that splitting each part into the same number of smaller parts names the "
        "same amount, then connect the discovery to the symbolic rule."
    ),
    components=(
        "Start from a concrete partitioning task before showing any rule",
        "Use at least two representations and ask students to connect them",
        "Have students explain in words why 2/3 and 4/6 are the same amount",
        "Connect the explanation to multiplying numerator and denominator by the same number",
        "Check for the belief that equivalent fractions are 'bigger' because the numbers are",
    ),
    research=(
        "Students who learn the equivalence rule without understanding often apply it "
        "inconsistently and believe that 4/6 is larger than 2/3 (Behr, Lesh, Post & "
        "Silver, 1983). Lamon (2012) argues that partitioning and unitising, seeing the same "
        "quantity in different-sized units, are the foundation of rational-number "
        "reasoning.\n\n"
        "The IES practice guide (Siegler et al., 2010) recommends that conceptual "
        "understanding precede and accompany procedures, and that teachers use number lines "
        "to show that equivalent fractions name the same point."
    ),
    resources=(
        IES_GUIDE,
        "NCTM, Principles to Actions (2014) | https://www.nctm.org/PtA/",
    ),
    requirements=(
        Requirement(
            "photo", "Photos of student partitioning work in at least two representations.", 2, 4
        ),
        Requirement(
            "link", "A link to the task or slides you used (a shared document is fine).", 1, 2
        ),
        Requirement(
            "text",
            "Transcribe two student explanations of why two fractions are "
            "equivalent and comment on what each shows about their understanding.",
        ),
    ),
    criteria=(
        Criterion(
            "Concept before rule",
            "Students partition and compare amounts before the rule is introduced.",
            "The rule is taught first and the models only illustrate it.",
        ),
        Criterion(
            "Connected representations",
            "Students connect at least two representations of the same equivalence.",
            "One representation is used, or several are used without connecting them.",
        ),
        Criterion(
            "Student explanations",
            "Transcribed explanations show students reasoning about the same amount of the whole.",
            "Explanations restate the rule ('you times both by 2') without meaning.",
        ),
    ),
    points=125,
    credit_hours=1.5,
)

NUMBER_LINE_REASONING = CredentialContent(
    slug="number-line-reasoning",
    title="Number-Line Reasoning",
    competency=(
        "The educator uses the number line as a central model for fractions, so students "
        "locate, compare and operate on fractions as distances from zero."
    ),
    key_method=(
        "Run a series of short number-line routines (placing, estimating and justifying "
        "fractions, including those greater than 1) across two weeks, and assess growth with "
        "a number-line estimation task."
    ),
    components=(
        "Partition a 0-to-1 line and name each point as a distance from zero",
        "Extend the line beyond 1 and place mixed numbers and improper fractions",
        "Use estimation tasks: place 3/5 on an unmarked line and justify",
        "Compare and find differences between fractions as distances on the line",
        "Give a short pre- and post-assessment on an unmarked number line",
    ),
    research=(
        "Accuracy on number-line estimation tasks is closely related to overall "
        "mathematics achievement (Siegler & Booth, 2004), and number-line training improves "
        "fraction magnitude understanding (Fuchs et al., 2013). The number line makes "
        "explicit that fractions are numbers that can be ordered with whole numbers, which "
        "area models do not.\n\n"
        "The Common Core standards for grade 3 (3.NF.A.2) ask students to represent "
        "fractions on a number line diagram, and the IES practice guide (Siegler et al., "
        "2010) names number lines as the central representational tool for fraction "
        "magnitude."
    ),
    resources=(
        IES_GUIDE,
        "Common Core State Standards, Grade 3 Number and Operations: Fractions | https://www.thecorestandards.org/Math/Content/3/NF/",
        "Siegler & Booth, Development of numerical estimation in young children "
        "(Child Development, 2004)",
    ),
    requirements=(
        Requirement(
            "file",
            "Your pre- and post-assessment results as a table or spreadsheet (anonymised).",
            1,
            2,
        ),
        Requirement("photo", "Photos of number lines students made or annotated.", 2, 4),
        Requirement(
            "text",
            "A reflection (300 to 500 words) on what the results show and "
            "which routine made the biggest difference.",
        ),
    ),
    criteria=(
        Criterion(
            "Distance from zero",
            "Students describe fractions as distances from zero, not as labels on tick marks.",
            "Students count tick marks and label them without reference to the whole.",
        ),
        Criterion(
            "Beyond one",
            "Students place fractions greater than 1 and mixed numbers correctly.",
            "Work stays between 0 and 1.",
        ),
        Criterion(
            "Estimation and justification",
            "Students estimate on unmarked lines and justify placements with benchmarks.",
            "Placements are given without justification or only on pre-marked lines.",
        ),
        Criterion(
            "Measured growth",
            "Pre- and post-assessment data are compared and interpreted honestly.",
            "No comparison, or results are reported without interpretation.",
        ),
    ),
    points=150,
    credit_hours=2.0,
)

STACK = StackContent(
    slug="fractions-foundations",
    title="Fractions Foundations",
    category="Mathematics",
    summary=(
        "Build students' sense of fractions as numbers: magnitude, equivalence and the "
        "number line, the foundations that predict later success in algebra."
    ),
    credentials=(FRACTIONS_AS_NUMBERS, EQUIVALENT_FRACTIONS, NUMBER_LINE_REASONING),
)
