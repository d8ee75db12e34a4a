//! Drawing the app: a pure function of the state, the time and the colours, so snapshots at a
//! fixed time are exact. Every cell is laid out by ratatui, which cuts text at its cell's edge,
//! so a narrow terminal (40 columns) loses the ends of labels, never the codes.

use otpkit::credential::Kind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::form::{DIGITS, Field, Form};
use super::state::{App, Mode, Row, group};
use super::theme::{Colors, PALETTE};

/// Draws the whole screen.
pub(crate) fn render(app: &App, now: u64, colors: Colors, frame: &mut Frame<'_>) {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    render_header(app, colors, frame, header);
    match &app.mode {
        Mode::Locked => render_locked(app, colors, frame, body),
        Mode::Form(form) => render_form(form, now, colors, frame, body),
        Mode::Help => render_help(frame, body),
        Mode::List | Mode::Search | Mode::ConfirmDelete(_) => {
            render_list(app, now, colors, frame, body);
        }
    }
    render_footer(app, colors, frame, footer);
}

fn render_header(app: &App, colors: Colors, frame: &mut Frame<'_>, area: Rect) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let right = if app.unlocked() {
        let shown = app.visible().len();
        let total = app.total();
        if shown == total {
            format!("{total} accounts  ? help")
        } else {
            format!("{shown} of {total}  ? help")
        }
    } else {
        "locked".to_owned()
    };
    let [l, r] =
        Layout::horizontal([Constraint::Min(6), Constraint::Length(width(&right))]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            " otpkit",
            bold.patch(colors.ansi(Color::Cyan)),
        )),
        l,
    );
    frame.render_widget(Paragraph::new(right), r);
}

fn width(s: &str) -> u16 {
    u16::try_from(Span::raw(s).width()).unwrap_or(u16::MAX)
}

fn render_locked(app: &App, colors: Colors, frame: &mut Frame<'_>, area: Rect) {
    let dots = "•".repeat(app.password.chars().count());
    let lines = vec![
        Line::raw(""),
        Line::from(vec![
            Span::raw(" Vault     "),
            Span::raw(super::vault_io::escape(&app.path.display().to_string()).into_owned()),
        ]),
        Line::from(vec![
            Span::raw(" Password  "),
            Span::raw(dots),
            Span::styled("▏", colors.ansi(Color::Cyan)),
        ]),
        Line::raw(""),
        Line::raw(" Enter unlocks · Esc quits"),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The seconds left, as a bar of `cells` (full at the start of a period).
fn bar(left: u64, period: u64, cells: u64) -> String {
    let full = (left * cells).div_ceil(period.max(1)).min(cells);
    let mut s = "▰".repeat(usize::try_from(full).unwrap_or(0));
    s.push_str(&"▱".repeat(usize::try_from(cells - full).unwrap_or(0)));
    s
}

fn render_list(app: &App, now: u64, colors: Colors, frame: &mut Frame<'_>, area: Rect) {
    let rows = app.rows(now);
    if rows.is_empty() {
        let text = if app.total() == 0 {
            " No accounts yet: press a to add one."
        } else {
            " Nothing matches the search."
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let height = usize::from(area.height.max(1));
    let offset = app.selected.saturating_sub(height - 1);
    let code_w = rows
        .iter()
        .filter_map(|r| r.code.as_deref().map(width))
        .max()
        .unwrap_or(7)
        .max(7);
    let next_w = rows
        .iter()
        .filter_map(|r| r.next.as_deref().map(|n| width(n) + 3))
        .max()
        .unwrap_or(0);
    let bar_cells: u16 = if area.width >= 60 { 6 } else { 0 };
    for (i, row) in rows.iter().enumerate().skip(offset).take(height) {
        let y = area.y + u16::try_from(i - offset).unwrap_or(0);
        let rect = Rect::new(area.x, y, area.width, 1);
        render_row(
            row,
            i == app.selected,
            colors,
            (code_w, next_w, bar_cells),
            frame,
            rect,
        );
    }
}

fn render_row(
    row: &Row,
    selected: bool,
    colors: Colors,
    (code_w, next_w, bar_cells): (u16, u16, u16),
    frame: &mut Frame<'_>,
    rect: Rect,
) {
    let timer_w = 5 + if bar_cells > 0 { bar_cells + 1 } else { 0 };
    let [mark, swatch, label, code, next, timer] = Layout::horizontal([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(4),
        Constraint::Length(code_w + 1),
        Constraint::Length(next_w),
        Constraint::Length(timer_w),
    ])
    .areas(rect);
    if selected {
        frame.render_widget(Paragraph::new("›"), mark);
    }
    if let Some(c) = row.color.filter(|_| colors != Colors::None) {
        frame.render_widget(Paragraph::new(Span::styled("█", colors.fg(c))), swatch);
    }
    let mut spans = Vec::new();
    if !row.issuer.is_empty() {
        spans.push(Span::styled(
            row.issuer.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(row.name.clone(), colors.ansi(Color::Gray)));
    frame.render_widget(Paragraph::new(Line::from(spans)), label);
    let soon = row.next.is_some();
    let code_style = Style::new().add_modifier(Modifier::BOLD);
    let code_text = match (&row.code, row.counter) {
        (Some(c), _) => c.clone(),
        (None, Some(_)) => "n: code".to_owned(),
        (None, None) => "error".to_owned(),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(code_text, code_style)).right_aligned(),
        code,
    );
    if let Some(n) = &row.next {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(" › "),
                Span::styled(n.clone(), colors.ansi(Color::DarkGray)),
            ])),
            next,
        );
    }
    let timer_text = match (row.remaining, row.counter) {
        (Some((left, period)), _) => {
            let b = if bar_cells > 0 {
                format!("{} ", bar(left, period, u64::from(bar_cells)))
            } else {
                String::new()
            };
            format!("{b}{left:>3}s")
        }
        (None, Some(counter)) => format!("#{counter}"),
        _ => String::new(),
    };
    let timer_style = if soon {
        colors.ansi(Color::Red)
    } else {
        colors.ansi(Color::Green)
    };
    frame.render_widget(
        Paragraph::new(Span::styled(timer_text, timer_style)).right_aligned(),
        timer,
    );
    if selected {
        // The marker and the swatch keep their look; the rest of the row is reversed.
        let rest = Rect {
            x: label.x,
            width: rect.width.saturating_sub(label.x - rect.x),
            ..rect
        };
        frame.buffer_mut().set_style(rest, colors.selected());
    }
}

/// The key as the form shows it: a URI up to its parameters, a bare key's first four
/// characters; the rest hidden.
fn masked(key: &str) -> String {
    let key = key.trim();
    if key.starts_with("otpauth://") {
        let head = key.split('?').next().unwrap_or(key);
        return format!("{}?…", super::vault_io::escape(head));
    }
    let shown: String = key.chars().take(4).collect();
    let hidden = key.chars().count().saturating_sub(4).min(28);
    format!("{}{}", super::vault_io::escape(&shown), "•".repeat(hidden))
}

/// The form's first code, or why there is none yet.
fn preview(form: &Form, now: u64) -> Result<String, String> {
    let c = form.credential()?;
    if let Kind::Hotp { counter } = c.kind() {
        let code = c.to_hotp().map_err(|e| e.to_string())?.generate(counter);
        return Ok(format!("{}  (counter {counter})", group(code.as_str())));
    }
    let totp = c.to_totp().map_err(|e| e.to_string())?;
    let code = totp.generate(now).map_err(|e| e.to_string())?;
    let period = c.period().unwrap_or(30).max(1);
    let left = period - now % period;
    Ok(format!("{}  ({left} s left)", group(code.as_str())))
}

fn render_form(form: &Form, now: u64, colors: Colors, frame: &mut Frame<'_>, area: Rect) {
    let title = if form.editing.is_some() {
        " Edit account "
    } else {
        " Add account "
    };
    let block = Block::new().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    for field in form.fields() {
        let (label, value) = field_text(form, field, colors);
        let label_style = if field == form.field {
            colors.selected()
        } else {
            Style::new()
        };
        let mut spans = vec![
            Span::styled(format!(" {label:<10}"), label_style),
            Span::raw(" "),
        ];
        spans.extend(value);
        if field == form.field && is_text(field) {
            spans.push(Span::styled("▏", colors.ansi(Color::Cyan)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    if form.editing.is_none() {
        match preview(form, now) {
            Ok(code) => lines.push(Line::from(vec![
                Span::raw(" First code "),
                Span::styled(code, Style::new().add_modifier(Modifier::BOLD)),
            ])),
            Err(e) if form.key.trim().is_empty() => {
                lines.push(Line::styled(format!(" {e}"), colors.ansi(Color::DarkGray)));
            }
            Err(e) => lines.push(Line::styled(format!(" {e}"), colors.ansi(Color::Red))),
        }
    }
    if let Some(e) = &form.error {
        lines.push(Line::styled(format!(" {e}"), colors.ansi(Color::Red)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        " Tab next · ←/→ choose · Enter save · Esc cancel",
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn is_text(field: Field) -> bool {
    matches!(
        field,
        Field::Key | Field::QrFile | Field::Issuer | Field::Name | Field::Period
    )
}

fn field_text(form: &Form, field: Field, colors: Colors) -> (&'static str, Vec<Span<'static>>) {
    let raw = |s: String| vec![Span::raw(s)];
    match field {
        Field::Key => ("Key or URI", raw(masked(&form.key))),
        Field::QrFile => {
            let hint = if form.qr_file.is_empty() {
                "(a PNG/JPEG path; Enter reads it)".to_owned()
            } else {
                super::vault_io::escape(&form.qr_file).into_owned()
            };
            ("QR image", raw(hint))
        }
        Field::Issuer => (
            "Issuer",
            raw(super::vault_io::escape(&form.issuer).into_owned()),
        ),
        Field::Name => (
            "Name",
            raw(super::vault_io::escape(&form.name).into_owned()),
        ),
        Field::Color => {
            let mut spans = Vec::new();
            for (i, (_, rgb)) in PALETTE.iter().enumerate() {
                let mark = if form.color == Some(i) {
                    "[■]"
                } else {
                    " ■ "
                };
                spans.push(Span::styled(mark, colors.fg(*rgb)));
            }
            let name = form
                .color
                .and_then(|i| PALETTE.get(i))
                .map_or("none", |(n, _)| n);
            spans.push(Span::raw(format!(" {name}")));
            ("Colour", spans)
        }
        Field::Digits => {
            let s: Vec<String> = DIGITS
                .iter()
                .map(|d| {
                    let mark = if *d == form.digits { "(•)" } else { "( )" };
                    format!("{mark} {d}")
                })
                .collect();
            ("Digits", raw(s.join("  ")))
        }
        Field::Advanced => {
            let mark = if form.advanced { "[-]" } else { "[+]" };
            ("Advanced", raw(format!("{mark} period, algorithm")))
        }
        Field::Period => ("Period", raw(format!("{} s", form.period))),
        Field::Algorithm => ("Algorithm", raw(form.algorithm.as_str().to_owned())),
    }
}

fn render_help(frame: &mut Frame<'_>, area: Rect) {
    let keys = [
        ("↑ ↓  j k", "move"),
        ("Enter  c", "copy the code (cleared after 20 s)"),
        ("/", "search issuer and name"),
        ("Esc", "clear the search"),
        ("n", "next HOTP code (saves the counter)"),
        ("a", "add an account"),
        ("e", "edit the selected account"),
        ("d", "delete it (asks first)"),
        ("?", "this help"),
        ("q", "quit"),
    ];
    let mut lines = vec![Line::raw("")];
    for (k, what) in keys {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {k:<10}"),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(" Any key goes back."));
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_footer(app: &App, colors: Colors, frame: &mut Frame<'_>, area: Rect) {
    let line = match &app.mode {
        Mode::Search => Line::from(vec![
            Span::raw(" /"),
            Span::raw(super::vault_io::escape(&app.query).into_owned()),
            Span::styled("▏", colors.ansi(Color::Cyan)),
            Span::styled("  Enter keep · Esc clear", colors.ansi(Color::DarkGray)),
        ]),
        Mode::ConfirmDelete(id) => {
            let label = app
                .visible()
                .iter()
                .find(|a| super::vault_io::id_of(a) == *id)
                .map(|a| super::vault_io::escape(&a.label()).into_owned())
                .unwrap_or_default();
            Line::styled(
                format!(" Delete {label}? y deletes, any other key keeps it"),
                colors.ansi(Color::Red).add_modifier(Modifier::BOLD),
            )
        }
        _ => match &app.status {
            Some(s) => Line::raw(format!(" {s}")),
            None if !matches!(app.mode, Mode::List) => Line::raw(""),
            None if app.unlocked() && !app.query.is_empty() => Line::raw(format!(
                " search: {} (Esc clears)",
                super::vault_io::escape(&app.query)
            )),
            None if app.unlocked() => Line::styled(
                if area.width >= 56 {
                    " ↵ copy  / search  a add  e edit  d delete  q quit"
                } else {
                    " ↵ copy  / search  a add  ? help  q quit"
                },
                colors.ansi(Color::DarkGray),
            ),
            None => Line::raw(""),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}
