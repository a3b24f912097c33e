//! The missing-from-home profile as a PDF (issue 12): what a parent hands or sends to the
//! police when they call 101 or 999. Written with krilla (a maintained PDF library: it
//! embeds and subsets the font and writes the text so that readers can copy and search
//! it); the layout (lines wrapped to the page's width, a new page when one is full) is
//! ours, measured with the font's own advance widths (skrifa). Decision 0022.

use alongside_store::ProfileView;
use krilla::geom::{Point, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use skrifa::instance::{LocationRef, Size as FontSize};
use skrifa::MetadataProvider;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4, in points, and the margins.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 14.0;

/// The width of `text` at `size` points in the font of `data`.
fn width(data: &[u8], size: f32, text: &str) -> f32 {
    let Ok(font) = skrifa::FontRef::new(data) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(FontSize::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` in lines no wider than `max` points: at spaces where it can, inside a word
/// only when the word alone is wider.
fn wrap(data: &[u8], size: f32, text: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(data, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line (a long account name): cut where it must be.
            let mut part = String::new();
            for c in word.chars() {
                part.push(c);
                if width(data, size, &part) > max {
                    part.pop();
                    lines.push(std::mem::take(&mut part));
                    part.push(c);
                }
            }
            line = part;
        }
        lines.push(line);
    }
    lines
}

/// What the PDF says, row by row: a label and its text.
fn rows(p: &ProfileView, episodes: &[String]) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "Name".to_string(),
            match &p.child.known_as {
                Some(k) => format!(
                    "{} {} (known as {k})",
                    p.child.given_name, p.child.family_name_of_child
                ),
                None => format!("{} {}", p.child.given_name, p.child.family_name_of_child),
            },
        ),
        (
            "Date of birth".to_string(),
            p.child
                .date_of_birth
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_else(|| "Not known".into()),
        ),
    ];
    if let Some(c) = &p.content {
        for (label, value) in c.parts() {
            if let Some(v) = value {
                out.push((label.to_string(), v.clone()));
            }
        }
        if !c.friends.is_empty() {
            let friends = c
                .friends
                .iter()
                .map(|f| {
                    let mut s = f.name.clone();
                    if f.child {
                        s.push_str(" (a child)");
                    }
                    if let Some(a) = &f.about {
                        s.push_str(": ");
                        s.push_str(a);
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.push(("Friends and associates".to_string(), friends));
        }
    }
    out.push((
        "Previous missing episodes".to_string(),
        if episodes.is_empty() {
            "None recorded here".to_string()
        } else {
            episodes.join("\n")
        },
    ));
    out
}

/// The profile as a PDF: the child's name, a recent photo, Part 1 as it is now, and when
/// it was printed. `photo` is the stored photo (its type and bytes), if any; `episodes`
/// the child's episodes, a line each.
pub fn profile_pdf(
    p: &ProfileView,
    photo: Option<(&str, &[u8])>,
    episodes: &[String],
    printed: &str,
) -> Result<Vec<u8>, String> {
    let regular = Font::new(REGULAR.to_vec().into(), 0).ok_or("the PDF font could not be read")?;
    let bold = Font::new(BOLD.to_vec().into(), 0).ok_or("the PDF font could not be read")?;
    let image = match photo {
        Some((content_type, bytes)) => {
            let data = bytes.to_vec().into();
            let image = match content_type {
                "image/jpeg" => Image::from_jpeg(data, true),
                "image/png" => Image::from_png(data, true),
                "image/gif" => Image::from_gif(data, true),
                "image/webp" => Image::from_webp(data, true),
                other => Err(format!("no photo of type {other}")),
            };
            image.ok()
        }
        None => None,
    };
    let mut doc = Document::new();
    let settings = || PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a page size");
    let mut page = doc.start_page_with(settings());
    let mut surface = page.surface();
    let mut y = MARGIN + 18.0;
    surface.draw_text(
        Point::from_xy(MARGIN, y),
        bold.clone(),
        17.0,
        "Missing-from-home profile",
        false,
        TextDirection::Auto,
    );
    y += 18.0;
    surface.draw_text(
        Point::from_xy(MARGIN, y),
        regular.clone(),
        BODY,
        "Philomena Protocol, Part 1: kept ready by the family",
        false,
        TextDirection::Auto,
    );
    y += 24.0;
    // The photo at the top right; the first rows beside it are narrower.
    let mut beside_photo_until = 0.0;
    let photo_width = 150.0;
    if let Some(image) = image {
        let (w, h) = image.size();
        let scale = (photo_width / w as f32).min(190.0 / h as f32);
        let (dw, dh) = (w as f32 * scale, h as f32 * scale);
        surface.push_transform(&Transform::from_translate(WIDTH - MARGIN - dw, y));
        if let Some(size) = Size::from_wh(dw, dh) {
            surface.draw_image(image, size);
        }
        surface.pop();
        beside_photo_until = y + dh + 10.0;
    }
    let label_width = 150.0;
    for (label, value) in rows(p, episodes) {
        let right = if y < beside_photo_until {
            WIDTH - MARGIN - photo_width - 15.0
        } else {
            WIDTH - MARGIN
        };
        let text_width = right - MARGIN - label_width;
        let label_lines = wrap(BOLD, BODY, &label, label_width - 10.0);
        let value_lines = wrap(REGULAR, BODY, &value, text_width);
        let height = label_lines.len().max(value_lines.len()) as f32 * LEADING + 6.0;
        if y + height > HEIGHT - MARGIN - 20.0 {
            surface.finish();
            page.finish();
            page = doc.start_page_with(settings());
            surface = page.surface();
            y = MARGIN + 12.0;
        }
        for (i, l) in label_lines.iter().enumerate() {
            surface.draw_text(
                Point::from_xy(MARGIN, y + i as f32 * LEADING),
                bold.clone(),
                BODY,
                l,
                false,
                TextDirection::Auto,
            );
        }
        for (i, l) in value_lines.iter().enumerate() {
            surface.draw_text(
                Point::from_xy(MARGIN + label_width, y + i as f32 * LEADING),
                regular.clone(),
                BODY,
                l,
                false,
                TextDirection::Auto,
            );
        }
        y += height;
    }
    y += 10.0;
    if y > HEIGHT - MARGIN {
        surface.finish();
        page.finish();
        page = doc.start_page_with(settings());
        surface = page.surface();
        y = MARGIN + 12.0;
    }
    surface.draw_text(
        Point::from_xy(MARGIN, y),
        regular.clone(),
        8.5,
        &format!("Version {}. Printed {printed}.", p.version()),
        false,
        TextDirection::Auto,
    );
    surface.finish();
    page.finish();
    doc.finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_words_and_lines_are_wrapped_to_the_width() {
        let lines = super::wrap(
            super::REGULAR,
            10.0,
            "a b c snapchat_account_with_a_very_long_name_indeed_and_more",
            60.0,
        );
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(super::width(super::REGULAR, 10.0, l) <= 60.0, "{l}");
        }
    }
}
