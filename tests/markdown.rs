//! `solve --format markdown` as a handout (DESIGN.md §5, issue 5): LaTeX math GitHub renders, the
//! notes' equation numbers, derivations with the lesson's numbers.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::lesson::load_lesson;
use backprop_tutor::report::solution_markdown;

fn handout(lesson: &str) -> String {
    solution_markdown(&load_lesson(lesson).unwrap())
}

/// The text between `$$` lines.
fn math_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match (line == "$$", current.take()) {
            (true, None) => current = Some(Vec::new()),
            (true, Some(lines)) => blocks.push(lines.join("\n")),
            (false, Some(mut lines)) => {
                lines.push(line);
                current = Some(lines);
            }
            (false, None) => {}
        }
    }
    assert!(current.is_none(), "an unclosed $$ block");
    blocks
}

#[test]
fn the_notes_example_reads_like_the_notes() {
    let md = handout("notes-example");
    assert!(md.starts_with("# The notes' worked example\n"));
    for heading in ["## Step 1:", "## Step 2A:", "## Step 2B:", "## Step 3A:", "## Step 3B:", "## Step 4:"] {
        assert!(md.contains(heading), "{heading}");
    }
    // Equation numbers of every step, as the notes number them.
    for equations in
        ["(8)–(12), (54), (59)–(60)", "(28)–(39), (57), (70)–(75)", "(40)–(47), (58), (76)–(79)", "(48)–(53)"]
    {
        assert!(md.contains(&format!("Notes' equations {equations}.")), "{equations}");
    }
    // DESIGN.md §3's example derivation, in LaTeX, with the tutor's digits.
    assert!(md.contains(
        r"\frac{\partial L}{\partial h^{(1)}_{1}} &= 0.2876 \cdot 1 \cdot 1 + (-0.5752) \cdot 1 \cdot 2 = -0.8628"
    ));
    // Step 3A's formula (Eq. 75) with the ReLU gate, and Step 1's one-hot form (Eq. 60).
    assert!(md.contains(
        r"\frac{\partial L}{\partial \vec{h}^{(1)}} = \frac{\partial L}{\partial \vec{h}^{(2)}} \, \operatorname{diag}(\mathbb{1}[\vec{z}^{(2)} > 0]) \, \mathbf{W}^{(2)}"
    ));
    assert!(md.contains(r"(\hat{\vec{o}} - \vec{e}_y)^\top"));
    assert!(md.contains("The matrix form follows (79)"), "Step 4 cites (79) by analogy (ERRATA 6)");
    // Values as matrices.
    assert!(md.contains("\\mathbf{W}^{(2)} &= \\begin{bmatrix} 1 & 3 \\\\\n2 & -1 \\end{bmatrix}"), "{md}");
    assert!(md.contains(
        r"\frac{\partial L}{\partial \vec{o}} = \begin{bmatrix} 0.09003 & 0.6652 & -0.7553 \end{bmatrix}"
    ));
}

#[test]
fn math_is_written_so_github_renders_it() {
    for lesson in ["notes-example", "notes-questions", "biases", "sigmoid", "mse", "three-hidden-layers"] {
        let md = handout(lesson);
        let blocks = math_blocks(&md);
        assert!(blocks.len() > 10, "{lesson}: {} math blocks", blocks.len());
        for block in &blocks {
            // GitHub protects a LaTeX line break from Markdown only at the end of a line.
            for line in block.lines() {
                if let Some((_, after)) = line.split_once(r"\\") {
                    assert!(after.trim().is_empty(), "{lesson}: `\\\\` mid-line in {line:?}");
                }
                let first = line.trim_start().chars().next();
                assert!(!matches!(first, Some('>' | '#' | '*')), "{lesson}: Markdown would take {line:?}");
            }
            assert!(!block.contains('−'), "{lesson}: LaTeX needs an ASCII minus: {block}");
            assert_eq!(
                block.matches(r"\begin{").count(),
                block.matches(r"\end{").count(),
                "{lesson}: {block}"
            );
            assert_eq!(block.matches('{').count(), block.matches('}').count(), "{lesson}: {block}");
        }
    }
}

#[test]
fn other_activations_biases_and_asked_entries_render() {
    let sigmoid = handout("sigmoid");
    assert!(sigmoid.contains(r"\operatorname{diag}(f'(\vec{z}^{(2)}))"));
    assert!(sigmoid.contains(r"\sigma("));
    let biases = handout("biases");
    assert!(biases.contains(r"\vec{b}^{(1)} &= \begin{bmatrix}"));
    let questions = handout("notes-questions");
    assert!(
        questions.contains(r"\frac{\partial h^{(2)}_{1}}{\partial h^{(1)}_{2}} &= 1 \cdot 3 = 3"),
        "{questions}"
    );
    assert!(questions.contains(r"\frac{\partial L}{\partial w^{(o)}_{2,1}} &= 0.6652 \cdot 4 = 2.661"));
}

#[test]
fn solve_prints_the_handout() {
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(["solve", "notes-example", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), handout("notes-example"));
}
