//! `--plain` (DESIGN.md §6.7): the tutor as lines of text, read from stdin and written to
//! stdout with no drawing and no colour, for screen readers and for scripts. It plays the same
//! [`Session`] as the TUI, so the rules are the same; only the wording differs: commands are
//! words instead of keys.
//!
//! Each step is announced once (its formula, the values it uses, its Jacobians), then a line
//! asks for the answer. A line is a command if it is one of the words [`COMMANDS`] lists, and
//! an answer otherwise. End of input saves and quits, so `backprop-tutor LESSON --plain <
//! answers.txt` runs a whole session.

use crate::answer::Verdict;
use crate::lesson::Lesson;
use crate::plan::definition::definition;
use crate::plan::display;
use crate::plan::formula::{Formula, Term};
use crate::plan::{Step, derivation, softmax_form, step_title};
use crate::report::{describe_network, equation_list};
use crate::tutor::course::{Entry, Variant, next_lesson, next_variant, one_line, shipped_name, variant_of};
use crate::tutor::hints::hint;
use crate::tutor::{Confirm, Feedback, JacobianView, Mode, Note, Progress, Session, Status, Visibility};
use crate::value::{Shape, Value};
use std::io::{self, BufRead, Write};

/// What plain mode needs from outside: lessons, progress, saving.
pub trait Library {
    /// The shipped lesson `name` and its saved progress in `mode`.
    fn open(&mut self, name: &str, mode: Mode) -> Result<(Lesson, Progress), String>;
    /// The lesson `new` makes for `variant`, and its saved progress in `mode`.
    fn open_variant(&mut self, variant: &Variant, mode: Mode) -> Result<(Lesson, Progress), String>;
    fn save(&mut self, lesson: &Lesson, mode: Mode, progress: &Progress) -> Result<(), String>;
    /// The shipped lessons with their practice progress.
    fn lessons(&self) -> Vec<Entry>;
}

/// The words plain mode reads as commands, with what they do.
pub const COMMANDS: &[(&str, &str)] = &[
    ("hint", "a hint: the idea, then the shapes, then the first entry"),
    ("reveal", "show the answer (asks first; it then counts as revealed)"),
    ("reset", "clear this step's answers, hints and attempts (asks first)"),
    ("next", "the next step (or part); at the end of a lesson, the next lesson"),
    ("back", "the previous step (or part)"),
    ("step N", "walkthrough: jump to the step whose number starts with N"),
    ("ask", "walkthrough: pose the step (its answer hidden, and the next ones'), then reveal it"),
    ("show", "this step again"),
    ("about", "the lesson's description"),
    ("variant", "a new lesson of this one's shape, with other numbers"),
    ("help", "this list"),
    ("quit", "save and quit (so does the end of input)"),
];

/// The TUI's keys for the commands a learner reaches for most, read as those words so that its
/// habits keep working here. None is a name an answer could use (a layer's names carry their
/// number, `h2`), and `e`, Euler's number, is no command.
const KEYS: &[(&str, &str)] = &[("h", "hint"), ("r", "reveal"), ("?", "help"), ("q", "quit")];

/// The command a TUI key stands for, else the word itself.
fn command_of(word: &str) -> &str {
    KEYS.iter().find(|(key, _)| *key == word).map_or(word, |(_, command)| command)
}

/// `hint (h)`: a command with its TUI key, if it has one.
fn with_key(command: &str) -> String {
    match KEYS.iter().find(|(_, word)| *word == command) {
        Some((key, _)) => format!("{command} ({key})"),
        None => command.to_string(),
    }
}

/// Where plain mode starts.
pub enum Start {
    Lesson(Box<Lesson>, Progress),
    /// The list of shipped lessons, to choose one from.
    Picker,
}

/// Runs plain mode until `quit` or the end of `input`. Errors are those of reading and writing.
pub fn run(
    library: &mut impl Library,
    start: Start,
    mode: Mode,
    input: impl BufRead,
    out: impl Write,
) -> io::Result<()> {
    let mut plain = Plain { library, mode, out, lines: input.lines(), saved_warning: false };
    let session = match start {
        Start::Lesson(lesson, progress) => Session::new(*lesson, mode, progress),
        Start::Picker => match plain.choose()? {
            Some(session) => session,
            None => return Ok(()),
        },
    };
    plain.play(session)
}

struct Plain<'a, L, W, I> {
    library: &'a mut L,
    mode: Mode,
    out: W,
    lines: I,
    saved_warning: bool,
}

/// What a line asks for.
enum Said {
    End,
    Line(String),
}

impl<L: Library, W: Write, I: Iterator<Item = io::Result<String>>> Plain<'_, L, W, I> {
    fn say(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")?;
        self.out.flush()
    }

    fn read(&mut self) -> io::Result<Said> {
        match self.lines.next() {
            None => Ok(Said::End),
            Some(line) => Ok(Said::Line(line?.trim().to_string())),
        }
    }

    /// The shipped lessons, numbered, and the one the next line names.
    fn choose(&mut self) -> io::Result<Option<Session>> {
        let lessons = self.library.lessons();
        self.say("Lessons (progress: ✓ done, 3/6 steps done, new):")?;
        for (i, entry) in lessons.iter().enumerate() {
            let progress = entry.summary.map_or_else(|| "?".into(), |s| s.to_string());
            self.say(&format!("{}. {} ({progress}): {}", i + 1, entry.name, entry.title))?;
        }
        loop {
            self.say("Lesson (its number or name):")?;
            let Said::Line(line) = self.read()? else { return Ok(None) };
            if matches!(command_of(&line), "quit" | "exit") {
                return Ok(None);
            }
            let chosen = line
                .parse::<usize>()
                .ok()
                .and_then(|n| lessons.get(n.wrapping_sub(1)))
                .or_else(|| lessons.iter().find(|e| e.name == line));
            match chosen {
                Some(entry) => match self.library.open(entry.name, self.mode) {
                    Ok((lesson, progress)) => return Ok(Some(Session::new(lesson, self.mode, progress))),
                    Err(error) => self.say(&format!("error: {error}"))?,
                },
                None => self.say(&format!("No lesson '{line}'."))?,
            }
        }
    }

    fn save(&mut self, session: &Session) -> io::Result<()> {
        match self.library.save(session.lesson(), session.mode(), session.progress()) {
            Ok(()) => self.say("saved"),
            Err(error) if !self.saved_warning => {
                self.saved_warning = true;
                self.say(&format!("warning: {error}"))
            }
            Err(_) => Ok(()),
        }
    }

    fn play(&mut self, mut session: Session) -> io::Result<()> {
        self.introduce(&session)?;
        // What was last announced: the step and part, and the question asked.
        let mut announced = None;
        loop {
            let place = (session.step_index(), session.part().0, session.current_question().cloned());
            if announced.as_ref() != Some(&place) {
                self.announce(&session)?;
                announced = Some(place);
            }
            self.prompt(&session)?;
            let line = match self.read()? {
                Said::End => {
                    session.keep_draft();
                    return self.save(&session);
                }
                Said::Line(line) => line,
            };
            match self.handle(&mut session, &line)? {
                Next::Stay => {}
                Next::Again => announced = None,
                Next::Quit => return self.save(&session),
                Next::Open(next) => {
                    self.save(&session)?;
                    session = *next;
                    self.introduce(&session)?;
                    announced = None;
                }
            }
        }
    }

    fn introduce(&mut self, session: &Session) -> io::Result<()> {
        let mode = match session.mode() {
            Mode::Practice => "practice",
            Mode::Walkthrough => "walkthrough",
        };
        self.say(&format!("{} ({mode}, plain mode)", session.lesson().title()))?;
        if let Some(notice) = session.resumed() {
            self.say(&notice.to_string())?;
        }
        let words: Vec<String> = COMMANDS.iter().map(|(word, _)| with_key(word)).collect();
        self.say(&format!("Commands: {}; any other line is an answer.", words.join(", ")))
    }

    /// The step on screen: its title, formula, what it uses and its Jacobians; in a walkthrough
    /// (or once done) its answer and derivation too.
    fn announce(&mut self, session: &Session) -> io::Result<()> {
        let step = session.step();
        let network = session.lesson().network();
        let (part, parts) = session.part();
        let mut title = format!(
            "{} (step {} of {})",
            step_title(network, step),
            session.step_index() + 1,
            session.steps().len()
        );
        if parts > 1 {
            let shown: Vec<String> = session.shown_asks().iter().map(|q| q.symbol()).collect();
            title.push_str(&format!(", part {} of {parts}: {}", part + 1, shown.join(", ")));
        }
        self.say("")?;
        self.say(&title)?;
        if !step.equations.is_empty() {
            self.say(&format!("Notes: {}", equation_list(&step.equations)))?;
        }
        let shown: Vec<_> = session.shown_formulas().iter().map(|(q, _)| *q).collect();
        self.say(&format!("Formula: {}", step.formula_text_of(&shown)))?;
        for term in session.operands() {
            self.say(&format!("Uses: {}", term_line(session, term)))?;
        }
        for (jacobian, view) in session.jacobians() {
            let Some(formula) = definition(network, jacobian) else { continue };
            let text = match (view, &formula) {
                (_, Formula::Term(_)) => format!("{} = {}", jacobian.symbol(), formula.to_text()),
                (JacobianView::Factors, _) => {
                    format!("{} = {}, to multiply out yourself", jacobian.symbol(), formula.to_text())
                }
                (JacobianView::Whole, _) => {
                    let value = session
                        .solution()
                        .value_of(&session.name_in_step(jacobian))
                        .map_or_else(String::new, |v| display::value(&v));
                    format!("{} = {} = {value}", jacobian.symbol(), formula.to_text())
                }
            };
            self.say(&format!("Jacobian: {text}"))?;
        }
        if session.is_posed() {
            return self.say("Posed: the answer is hidden until ask reveals it.");
        }
        self.solution(session)
    }

    /// The answers on screen and their derivation, where they may be shown.
    fn solution(&mut self, session: &Session) -> io::Result<()> {
        let step = session.step();
        let derived = session.derivation_asks();
        if derived.is_empty() {
            return Ok(());
        }
        for question in &derived {
            if let Some(value) = self.shown_value(session, question) {
                self.say(&format!("Answer: {} = {value}", question.symbol()))?;
            }
        }
        let shown_step = Step { asks: derived, ..step.clone() };
        let (lines, more) = derivation(&shown_step, session.solution(), usize::MAX);
        self.say("Derivation:")?;
        for line in &lines {
            self.say(&format!("  {}", display::line(line)))?;
        }
        if more > 0 {
            self.say(&format!("  … and {more} more"))?;
        }
        if let Some((exact, _)) = softmax_form(&shown_step, session.solution(), usize::MAX) {
            self.say("The notes' exact form:")?;
            for line in &exact {
                self.say(&format!("  {}", display::line(line)))?;
            }
        }
        if session.mode() == Mode::Walkthrough {
            self.say(&step.explanation)?;
        }
        Ok(())
    }

    /// The value a question is credited with: the learner's own when carried, else the truth.
    fn shown_value(&self, session: &Session, question: &crate::quantity::QuantityRef) -> Option<String> {
        let value = session.solution().value_of(question)?;
        Some(match session.status(question) {
            Status::Carried => session.question(question).last_input.replace('-', "−"),
            _ => display::value(&value),
        })
    }

    /// The line that asks for the next one.
    fn prompt(&mut self, session: &Session) -> io::Result<()> {
        if let Some(question) = session.pending_question() {
            return self
                .say(&format!("{question} Type yes to go ahead, anything else to keep things as they are:"));
        }
        if let Some(question) = session.current_question() {
            let shape =
                session.solution().value_of(question).map(|v| v.shape().to_string()).unwrap_or_default();
            let record = session.question(question);
            let advice = session.prompt().and_then(|prompt| prompt.advice());
            let advice = advice.map_or(String::new(), |advice| format!(" ({})", lower_first(&advice)));
            return self.say(&format!(
                "Answer {} ({question}), {shape}, attempt {}{advice}:",
                question.symbol(),
                record.attempts + 1
            ));
        }
        if session.mode() == Mode::Practice && session.is_complete() {
            let next = match shipped_name(session.lesson()).and_then(next_lesson) {
                Some(name) => format!("next opens '{name}'"),
                None => "next makes a new variant of this lesson".into(),
            };
            let score = session.score();
            return self
                .say(&format!("Lesson complete: {score}. {next}; back reviews the steps; quit ends."));
        }
        self.say("next, back, a step number (walkthrough), or quit:")
    }

    fn handle(&mut self, session: &mut Session, line: &str) -> io::Result<Next> {
        if session.pending().is_some() {
            if matches!(line, "y" | "yes") {
                let revealing = matches!(session.pending(), Some(Confirm::Reveal(_)));
                let changed = session.confirm();
                self.feedback(session)?;
                if changed {
                    self.save(session)?;
                }
                if revealing {
                    // The derivation, then on to the next step.
                    self.solution(session)?;
                    session.go(1);
                }
                return Ok(Next::Again);
            }
            session.cancel();
            self.feedback(session)?;
            return Ok(Next::Stay);
        }
        let walkthrough = session.mode() == Mode::Walkthrough;
        let word = line.to_ascii_lowercase();
        let (command, argument) = word.split_once(' ').unwrap_or((&word, ""));
        match (command_of(command), argument) {
            ("quit" | "exit", "") => return Ok(Next::Quit),
            ("help", "") => {
                for (word, what) in COMMANDS {
                    self.say(&format!("  {}: {what}", with_key(word)))?;
                }
            }
            ("show", "") => return Ok(Next::Again),
            ("about", "") => {
                let lesson = session.lesson();
                self.say(lesson.title())?;
                if let Some(description) = lesson.description() {
                    self.say(&one_line(description))?;
                }
                self.say(&format!("Network: {}.", describe_network(lesson.network())))?;
            }
            ("hint", "") => {
                if session.hint() {
                    if let Some(question) = session.current_question() {
                        let stage = session.question(question).hints;
                        self.say(&hint(session.solution(), session.step(), question, stage))?;
                    }
                    self.save(session)?;
                } else {
                    self.feedback(session)?;
                }
            }
            ("reveal", "") => {
                if !session.ask_to_reveal() {
                    self.say("There is nothing to reveal here.")?;
                }
            }
            ("reset", "") => {
                if !session.ask_to_reset() {
                    self.feedback(session)?;
                }
            }
            ("next", "") if session.mode() == Mode::Practice && session.is_complete() => {
                return self.next_lesson(session);
            }
            ("next", "") => return self.moved(session, 1),
            ("back", "") => return self.moved(session, -1),
            ("variant", "") => return self.variant(&next_variant(session)),
            ("ask", "") if walkthrough => {
                session.ask_then_reveal();
                return Ok(Next::Again);
            }
            ("step", digits) if walkthrough => return self.jump(session, digits),
            ("", "") if walkthrough => return self.moved(session, 1),
            (digits, "") if walkthrough && digits.starts_with(|c: char| c.is_ascii_digit()) => {
                return self.jump(session, digits);
            }
            _ if session.current_question().is_some() => {
                session.set_draft(line);
                session.submit();
                self.feedback(session)?;
                self.save(session)?;
            }
            _ => self.say("That is no command here (help lists them).")?,
        }
        Ok(Next::Stay)
    }

    fn moved(&mut self, session: &mut Session, delta: isize) -> io::Result<Next> {
        if session.go(delta) {
            self.save(session)?;
            Ok(Next::Again)
        } else {
            self.feedback(session)?;
            Ok(Next::Stay)
        }
    }

    fn jump(&mut self, session: &mut Session, digits: &str) -> io::Result<Next> {
        let Some(digit) = digits.chars().next() else { return Ok(Next::Stay) };
        if session.jump(digit) {
            self.save(session)?;
            return Ok(Next::Again);
        }
        self.feedback(session)?;
        Ok(Next::Stay)
    }

    fn open(&mut self, opened: Result<(Lesson, Progress), String>) -> io::Result<Next> {
        match opened {
            Ok((lesson, progress)) => Ok(Next::Open(Box::new(Session::new(lesson, self.mode, progress)))),
            Err(error) => {
                self.say(&format!("error: {error}"))?;
                Ok(Next::Stay)
            }
        }
    }

    fn next_lesson(&mut self, session: &Session) -> io::Result<Next> {
        match shipped_name(session.lesson()).and_then(next_lesson) {
            Some(name) => {
                let opened = self.library.open(name, self.mode);
                self.open(opened)
            }
            None => self.variant(&variant_of(session.lesson())),
        }
    }

    fn variant(&mut self, variant: &Variant) -> io::Result<Next> {
        let what = match variant.expose.as_slice() {
            [] => "A new variant".to_string(),
            ids => {
                let names: Vec<&str> = ids.iter().map(|id| id.name()).collect();
                format!("An exercise in which these mistakes stand out ({})", names.join(", "))
            }
        };
        self.say(&format!("{what}; `{}` makes the same one again.", variant.command_line()))?;
        let opened = self.library.open_variant(variant, self.mode);
        self.open(opened)
    }

    /// What the last action earned, or why it did nothing.
    fn feedback(&mut self, session: &Session) -> io::Result<()> {
        let text = match session.feedback() {
            None => return Ok(()),
            Some(Feedback::Note(note)) => note_text(*note).to_string(),
            Some(Feedback::Revealed(question)) => format!("revealed: {}", question.symbol()),
            Some(Feedback::Graded { question, grade, .. }) => match grade.verdict {
                Verdict::Correct => {
                    let attempts = session.question(question).attempts;
                    let plural = if attempts == 1 { "" } else { "s" };
                    format!("correct: {} is solved ({attempts} attempt{plural}).", question.symbol())
                }
                Verdict::Carried => format!("carried, credited: {}", grade.message),
                Verdict::Incorrect => format!("incorrect: {}", grade.message),
                Verdict::Invalid => {
                    let at = grade
                        .error
                        .as_ref()
                        .map_or(String::new(), |e| format!(" (at character {})", e.column + 1));
                    let message = grade.error.as_ref().map_or(&*grade.message, |e| e.message.as_str());
                    format!("invalid, not counted as an attempt{at}: {message}")
                }
                Verdict::Missing => "Type an answer on one line.".into(),
            },
        };
        self.say(&text)
    }
}

/// What handling a line leads to.
enum Next {
    Stay,
    /// Announce the step again (it changed, or was asked for).
    Again,
    Quit,
    Open(Box<Session>),
}

/// `W(o) = [[1, −1], [0.5, 2], [−1, 0.5]]`, with `?` for an entry still to find; a value named
/// as the step names it (`∂L/∂h(2)#3` at a dataset's Step 3B#3), as the TUI does.
fn term_line(session: &Session, term: Term) -> String {
    let Some(value) = session.term_value(term) else { return term.text() };
    let network = session.lesson().network();
    // A term's value comes as a matrix; a scalar reads as one number, `L#1 = 1.408`.
    let scalar = match term {
        Term::Example(quantity, _) => network.shape(quantity) == Shape::Scalar,
        Term::LearningRate => true,
        _ => false,
    };
    let value = match value {
        Value::Vector(v) if scalar && v.len() == 1 => Value::Scalar(v[0]),
        value => value,
    };
    let text = match term {
        Term::Value(quantity) => {
            let hidden =
                value.shape().indices().iter().any(|i| session.visibility(quantity, i) == Visibility::Hidden);
            if hidden { "still to find".into() } else { display::value(&value) }
        }
        _ => display::value(&value),
    };
    match term {
        Term::Value(quantity) => format!("{} = {text}", session.name_in_step(quantity).symbol()),
        Term::Gate(_) => format!("{} = diagonal {text}", term.text()),
        // The label of the step's example, in a dataset each its own.
        Term::Label => match session.solution().pass(session.step().example).network().objective() {
            crate::network::Objective::SoftmaxCrossEntropy { label } => format!("e_y = {text} (y = {label})"),
            crate::network::Objective::Mse { .. } => format!("e_y = {text}"),
        },
        _ => format!("{} = {text}", term.text()),
    }
}

/// Why an action did nothing, worded with plain mode's commands.
fn note_text(note: Note) -> &'static str {
    match note {
        Note::FirstStep => "This is the first step.",
        Note::LastStep => "This is the last step.",
        Note::AnswerFirst => "Answer this step first (or type reveal); then next goes on.",
        Note::NoMoreHints => "No more hints: reveal shows the answer.",
        Note::StepDone => "This step is done: next goes on.",
        Note::NothingToType => "The walkthrough shows every answer; nothing to type.",
        Note::NoSuchStep => "No step has that number.",
        Note::NothingToReset => "Nothing to reset: this step has no answer, hint or draft yet.",
        Note::Reset => "This step starts afresh.",
        Note::Cancelled => "Nothing was changed.",
    }
}

/// "Give at least…" as it reads inside a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_lowercase().chain(chars).collect())
}
