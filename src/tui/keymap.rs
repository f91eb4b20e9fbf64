//! The one table of keys. `update` looks keys up in it, and the key-help line, the `?` overlay
//! and every prompt that names a key are printed from it, so what the screen says and what the
//! keys do cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// What a key asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// Back to the lesson list, or quit.
    Quit,
    /// Quit from anywhere.
    Exit,
    ToggleHelp,
    ToggleDescription,
    CloseOverlay,
    Submit,
    LeaveInput,
    EnterInput,
    PreviousStep,
    NextStep,
    /// Walkthrough: to the step whose id starts with the digit pressed.
    JumpToStep,
    AskThenReveal,
    Projector,
    Hint,
    Reveal,
    Reset,
    Confirm,
    Cancel,
    ToggleWeights,
    NewVariant,
    NextLesson,
    FocusNextPane,
    LineUp,
    LineDown,
    PageUp,
    PageDown,
    PickerUp,
    PickerDown,
    PickerOpen,
}

/// Where a binding works. Outside the answer box no key types, so single letters are safe there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Anywhere,
    AnswerBox,
    /// A lesson, with the focus outside the answer box.
    Screen,
    Picker,
    /// The help or the description overlay is open.
    Overlay,
    /// An action waits for confirmation.
    Confirm,
}

/// When, beyond its scope, a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    Always,
    /// Practice with a question open (a walkthrough shows every answer, and a step that is
    /// done has nothing to hint or type).
    Answering,
    Practice,
    Walkthrough,
    /// Practice, with every step done.
    Complete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Char(char),
    Ctrl(char),
    /// Any of 0–9.
    Digit,
    Enter,
    Esc,
    Tab,
    Space,
    Left,
    Right,
    Up,
    Down,
    PageUp,
    PageDown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scopes: &'static [Scope],
    pub when: When,
    /// A word or two for the key-help line.
    pub short: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
}

/// Where the keyboard is, as far as the key table cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub scope: Scope,
    /// Practice mode with a question open on screen.
    pub answering: bool,
    pub walkthrough: bool,
    /// Practice with every step done.
    pub complete: bool,
}

const OUTSIDE: &[Scope] = &[Scope::Screen, Scope::Picker, Scope::Overlay];
const SCROLLING: &[Scope] = &[Scope::Screen, Scope::AnswerBox, Scope::Overlay];

const fn binding(
    keys: &'static [Key],
    action: Action,
    scopes: &'static [Scope],
    when: When,
    short: &'static str,
    help: &'static str,
) -> Binding {
    Binding { keys, action, scopes, when, short, help }
}

use Action as A;
use Key as K;
use Scope as S;

const BINDINGS: &[Binding] = &[
    binding(&[K::Char('y')], A::Confirm, &[S::Confirm], When::Always, "yes", "do it"),
    binding(
        &[K::Esc, K::Char('n')],
        A::Cancel,
        &[S::Confirm],
        When::Always,
        "no",
        "keep things as they are (so does any other key)",
    ),
    binding(&[K::Enter], A::Submit, &[S::AnswerBox], When::Answering, "submit", "submit the answer"),
    binding(
        &[K::Esc],
        A::LeaveInput,
        &[S::AnswerBox],
        When::Answering,
        "leave the box",
        "leave the answer box, so that the keys below work",
    ),
    binding(&[K::Up, K::Char('k')], A::PickerUp, &[S::Picker], When::Always, "up", "previous lesson"),
    binding(&[K::Down, K::Char('j')], A::PickerDown, &[S::Picker], When::Always, "down", "next lesson"),
    binding(&[K::Enter], A::PickerOpen, &[S::Picker], When::Always, "open", "open the lesson"),
    binding(
        &[K::Left],
        A::PreviousStep,
        &[S::Screen],
        When::Always,
        "prev",
        "previous step (or part of the forward pass)",
    ),
    binding(
        &[K::Right],
        A::NextStep,
        &[S::Screen],
        When::Always,
        "next",
        "next step (or part of the forward pass; in practice, up to the first step not done yet)",
    ),
    binding(
        &[K::Digit],
        A::JumpToStep,
        &[S::Screen],
        When::Walkthrough,
        "step",
        "jump to the step of that number (again: the next one, 3A then 3B)",
    ),
    binding(
        &[K::Space],
        A::AskThenReveal,
        &[S::Screen],
        When::Walkthrough,
        "ask/reveal",
        "ask, then reveal: hide the step's answer to pose it, then show it; steps after it arrive hidden",
    ),
    binding(
        &[K::Char('p')],
        A::Projector,
        &[S::Screen],
        When::Walkthrough,
        "projector",
        "projector view: the step alone on the whole screen, or back",
    ),
    binding(
        &[K::Char('h')],
        A::Hint,
        &[S::Screen],
        When::Answering,
        "hint",
        "a hint: the idea, then the shapes, then the first entry",
    ),
    binding(
        &[K::Char('r')],
        A::Reveal,
        &[S::Screen],
        When::Answering,
        "reveal",
        "reveal the answer and its derivation (asks first; counted as revealed)",
    ),
    binding(
        &[K::Char('i'), K::Enter],
        A::EnterInput,
        &[S::Screen],
        When::Answering,
        "answer",
        "go to the answer box (or just start typing)",
    ),
    binding(
        &[K::Enter],
        A::NextLesson,
        &[S::Screen],
        When::Complete,
        "next lesson",
        "the lesson is done: on to the next one (or a new variant of this one)",
    ),
    binding(
        &[K::Char('x')],
        A::Reset,
        &[S::Screen],
        When::Practice,
        "reset",
        "reset this step: clear its answers, hints and attempts (asks first)",
    ),
    binding(
        &[K::Char('w')],
        A::ToggleWeights,
        &[S::Screen],
        When::Always,
        "weights",
        "the network's weights as edges or as matrices",
    ),
    binding(
        &[K::Char('n')],
        A::NewVariant,
        &[S::Screen],
        When::Always,
        "new variant",
        "a new lesson of this one's shape, with other numbers, as `new` makes it; after a diagnosed \
         mistake, one in which that mistake stands out (`new --expose`)",
    ),
    binding(
        &[K::Char('d')],
        A::ToggleDescription,
        &[S::Screen, S::Overlay],
        When::Always,
        "about",
        "the lesson's description",
    ),
    binding(
        &[K::Tab],
        A::FocusNextPane,
        &[S::Screen, S::AnswerBox],
        When::Always,
        "pane",
        "the next pane: it gets room first, and the scrolling keys scroll it",
    ),
    binding(
        &[K::Up],
        A::LineUp,
        SCROLLING,
        When::Always,
        "scroll",
        "scroll the focused pane (or this help) up a line",
    ),
    binding(&[K::Down], A::LineDown, SCROLLING, When::Always, "scroll", "scroll it down a line"),
    binding(
        &[K::PageUp],
        A::PageUp,
        SCROLLING,
        When::Always,
        "page up",
        "scroll it up a page (the mouse wheel scrolls the pane under it)",
    ),
    binding(&[K::PageDown], A::PageDown, SCROLLING, When::Always, "page down", "scroll it down a page"),
    binding(&[K::Char('?')], A::ToggleHelp, OUTSIDE, When::Always, "help", "show or hide this help"),
    binding(
        &[K::Esc],
        A::CloseOverlay,
        &[S::Overlay],
        When::Always,
        "close",
        "close this help (or the description)",
    ),
    binding(
        &[K::Char('q')],
        A::Quit,
        OUTSIDE,
        When::Always,
        "quit",
        "quit (progress is saved); back to the list if the lesson was chosen from it",
    ),
    binding(
        &[K::Ctrl('c')],
        A::Exit,
        &[S::Anywhere],
        When::Always,
        "quit",
        "quit, even from the answer box (progress is saved)",
    ),
];

/// The whole key table, in the order the help shows it.
pub(super) fn bindings() -> &'static [Binding] {
    BINDINGS
}

impl When {
    fn holds(self, context: Context) -> bool {
        match self {
            When::Always => true,
            When::Answering => context.answering,
            When::Practice => !context.walkthrough,
            When::Walkthrough => context.walkthrough,
            When::Complete => context.complete,
        }
    }
}

impl Binding {
    pub(super) fn applies(&self, context: Context) -> bool {
        self.when.holds(context) && self.scopes.iter().any(|&s| s == Scope::Anywhere || s == context.scope)
    }

    /// The keys as the screen writes them: `i/Enter`.
    pub(super) fn key_text(&self) -> String {
        self.keys.iter().map(Key::to_string).collect::<Vec<_>>().join("/")
    }
}

/// The key that does `action`, as the screen writes it, for prompts like "h: a hint".
pub(super) fn key_for(action: Action) -> String {
    BINDINGS.iter().find(|b| b.action == action).map_or_else(String::new, Binding::key_text)
}

/// What the key-help line says of a binding: its short text, and for leaving the answer box
/// the keys that then work (`leave the box (for h, r, ←/→, q)`).
pub(super) fn short_text(binding: &Binding) -> String {
    if binding.action != Action::LeaveInput {
        return binding.short.to_string();
    }
    let outside = Context { scope: Scope::Screen, answering: true, walkthrough: false, complete: false };
    let key = |action: Action| {
        BINDINGS
            .iter()
            .find(|b| b.action == action && b.applies(outside))
            .map_or_else(String::new, Binding::key_text)
    };
    let steps = format!("{}/{}", key(Action::PreviousStep), key(Action::NextStep));
    let keys = [key(Action::Hint), key(Action::Reveal), steps, key(Action::Quit)];
    format!("{} (for {})", binding.short, keys.join(", "))
}

/// The key that does `action` wherever the keyboard is (Ctrl-C for quit).
pub(super) fn key_anywhere(action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.action == action && b.scopes.contains(&Scope::Anywhere))
        .map_or_else(String::new, Binding::key_text)
}

/// The action a key press asks for where the keyboard is, if any.
pub(super) fn action(event: &KeyEvent, context: Context) -> Option<Action> {
    BINDINGS.iter().find(|b| b.applies(context) && b.keys.iter().any(|k| k.matches(event))).map(|b| b.action)
}

/// Actions the key-help line leaves out to stay on one line: the help overlay lists them.
/// (A pane cut short says on its marker row which key scrolls it.)
const NOT_ON_THE_LINE: &[Action] = &[
    Action::LineUp,
    Action::LineDown,
    Action::PageUp,
    Action::PageDown,
    Action::ToggleWeights,
    Action::FocusNextPane,
];

/// The bindings for the key-help line: those that apply here, one per action (the table lists
/// `q` before `Ctrl-C`, so the shorter key is the one shown).
pub(super) fn key_help(context: Context) -> Vec<&'static Binding> {
    let mut shown: Vec<&'static Binding> = Vec::new();
    for binding in BINDINGS.iter().filter(|b| b.applies(context) && !NOT_ON_THE_LINE.contains(&b.action)) {
        if !shown.iter().any(|s| s.action == binding.action) {
            shown.push(binding);
        }
    }
    shown
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?' needs it on most layouts).
        let plain = (event.modifiers - KeyModifiers::SHIFT).is_empty();
        let code = |expected: KeyCode| plain && event.code == expected;
        match self {
            Key::Char(c) => code(KeyCode::Char(c)),
            Key::Ctrl(c) => {
                event.modifiers.contains(KeyModifiers::CONTROL)
                    && matches!(event.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
            }
            Key::Digit => plain && matches!(event.code, KeyCode::Char(c) if c.is_ascii_digit()),
            Key::Enter => code(KeyCode::Enter),
            Key::Esc => code(KeyCode::Esc),
            Key::Tab => code(KeyCode::Tab),
            Key::Space => code(KeyCode::Char(' ')),
            Key::Left => code(KeyCode::Left),
            Key::Right => code(KeyCode::Right),
            Key::Up => code(KeyCode::Up),
            Key::Down => code(KeyCode::Down),
            Key::PageUp => code(KeyCode::PageUp),
            Key::PageDown => code(KeyCode::PageDown),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
            Key::Digit => write!(f, "0–9"),
            Key::Enter => write!(f, "Enter"),
            Key::Esc => write!(f, "Esc"),
            Key::Tab => write!(f, "Tab"),
            Key::Space => write!(f, "Space"),
            Key::Left => write!(f, "←"),
            Key::Right => write!(f, "→"),
            Key::Up => write!(f, "↑"),
            Key::Down => write!(f, "↓"),
            Key::PageUp => write!(f, "PgUp"),
            Key::PageDown => write!(f, "PgDn"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn context(scope: Scope, answering: bool, walkthrough: bool) -> Context {
        Context { scope, answering, walkthrough, complete: false }
    }

    #[test]
    fn letters_are_commands_only_outside_the_answer_box() {
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        let screen = context(Scope::Screen, true, false);
        let answer_box = context(Scope::AnswerBox, true, false);
        assert_eq!(action(&q, screen), Some(Action::Quit));
        assert_eq!(action(&q, answer_box), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(&ctrl_c, answer_box), Some(Action::Exit));
    }

    #[test]
    fn question_mark_with_shift_opens_help() {
        let screen = context(Scope::Screen, false, false);
        assert_eq!(action(&key(KeyCode::Char('?'), KeyModifiers::SHIFT), screen), Some(Action::ToggleHelp));
    }

    #[test]
    fn leaving_the_box_names_the_keys_that_then_work() {
        let leave = bindings().iter().find(|b| b.action == Action::LeaveInput).unwrap();
        assert_eq!(short_text(leave), "leave the box (for h, r, ←/→, q)");
    }

    #[test]
    fn practice_keys_do_nothing_in_walkthrough_and_the_reverse() {
        let walkthrough = context(Scope::Screen, false, true);
        let practice = context(Scope::Screen, true, false);
        let press = |code| key(code, KeyModifiers::NONE);
        assert_eq!(action(&press(KeyCode::Char('h')), walkthrough), None);
        assert_eq!(action(&press(KeyCode::Right), walkthrough), Some(Action::NextStep));
        assert_eq!(action(&press(KeyCode::Char('3')), walkthrough), Some(Action::JumpToStep));
        // In practice a digit outside the box starts an answer.
        assert_eq!(action(&press(KeyCode::Char('3')), practice), None);
        assert_eq!(action(&press(KeyCode::Char(' ')), practice), None);
        assert_eq!(action(&press(KeyCode::Char('p')), walkthrough), Some(Action::Projector));
    }

    #[test]
    fn a_confirmation_takes_y_and_nothing_else_does_it() {
        let confirm = context(Scope::Confirm, true, false);
        assert_eq!(action(&key(KeyCode::Char('y'), KeyModifiers::NONE), confirm), Some(Action::Confirm));
        assert_eq!(action(&key(KeyCode::Char('r'), KeyModifiers::NONE), confirm), None);
        assert_eq!(action(&key(KeyCode::Esc, KeyModifiers::NONE), confirm), Some(Action::Cancel));
    }
}
