//! Colours: 24-bit where the terminal says it has them, the 16 ANSI colours otherwise, none at
//! all under `NO_COLOR` (https://no-color.org); the palette the add form offers.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Colors {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    True,
    /// The 16 ANSI colours.
    Ansi16,
    /// No colour (`NO_COLOR` set and not empty): text attributes only.
    None,
}

impl Colors {
    /// From the environment: `NO_COLOR`, then `COLORTERM`.
    pub(crate) fn from_env() -> Self {
        let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        if set("NO_COLOR") {
            return Self::None;
        }
        match std::env::var("COLORTERM").as_deref() {
            Ok("truecolor" | "24bit") => Self::True,
            _ => Self::Ansi16,
        }
    }

    /// The foreground style for an account colour.
    pub(crate) fn fg(self, rgb: [u8; 3]) -> Style {
        match self {
            Self::True => Style::new().fg(Color::Rgb(rgb[0], rgb[1], rgb[2])),
            Self::Ansi16 => Style::new().fg(nearest16(rgb)),
            Self::None => Style::new(),
        }
    }

    /// A named ANSI colour, or nothing without colour.
    pub(crate) fn ansi(self, c: Color) -> Style {
        match self {
            Self::None => Style::new(),
            _ => Style::new().fg(c),
        }
    }

    /// The selected row: reversed, which reads without colour too.
    pub(crate) fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// The colours the form offers: a name and `#RRGGBB`.
pub(crate) const PALETTE: [(&str, [u8; 3]); 8] = [
    ("red", [0xE5, 0x39, 0x35]),
    ("orange", [0xFB, 0x8C, 0x00]),
    ("yellow", [0xFD, 0xD8, 0x35]),
    ("green", [0x43, 0xA0, 0x47]),
    ("teal", [0x00, 0x89, 0x7B]),
    ("blue", [0x1E, 0x88, 0xE5]),
    ("purple", [0x8E, 0x24, 0xAA]),
    ("grey", [0x75, 0x75, 0x75]),
];

/// The 16 ANSI colours with the RGB xterm gives them.
const ANSI16: [(Color, [u8; 3]); 16] = [
    (Color::Black, [0, 0, 0]),
    (Color::Red, [205, 0, 0]),
    (Color::Green, [0, 205, 0]),
    (Color::Yellow, [205, 205, 0]),
    (Color::Blue, [0, 0, 238]),
    (Color::Magenta, [205, 0, 205]),
    (Color::Cyan, [0, 205, 205]),
    (Color::Gray, [229, 229, 229]),
    (Color::DarkGray, [127, 127, 127]),
    (Color::LightRed, [255, 0, 0]),
    (Color::LightGreen, [0, 255, 0]),
    (Color::LightYellow, [255, 255, 0]),
    (Color::LightBlue, [92, 92, 255]),
    (Color::LightMagenta, [255, 0, 255]),
    (Color::LightCyan, [0, 255, 255]),
    (Color::White, [255, 255, 255]),
];

/// How far a colour is from grey: its largest channel less its smallest.
fn spread(c: [u8; 3]) -> u8 {
    let max = c.iter().max().copied().unwrap_or(0);
    let min = c.iter().min().copied().unwrap_or(0);
    max - min
}

/// The ANSI colour nearest to `rgb` (squared distance in RGB). A colour that is clearly not a
/// grey is matched among the chromatic ANSI colours only, so a muted green stays green rather
/// than turning grey.
pub(crate) fn nearest16(rgb: [u8; 3]) -> Color {
    let chromatic = spread(rgb) > 48;
    let dist = |c: [u8; 3]| -> u32 {
        c.iter()
            .zip(rgb)
            .map(|(&a, b)| u32::from(a.abs_diff(b)).pow(2))
            .sum()
    };
    ANSI16
        .iter()
        .filter(|(_, c)| !chromatic || spread(*c) > 48)
        .min_by_key(|(_, c)| dist(*c))
        .map_or(Color::Reset, |(name, _)| *name)
}
