//! A partner's branding: colours, logo, corner radius and font stack. Checked for WCAG AA
//! contrast when the partners file is read, and served as a stylesheet of the CSS custom
//! properties the widget's own stylesheet (`style/widget.css`) reads.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use url::Url;

use crate::partners::Partners;
use std::sync::Arc;

/// An sRGB colour, written `#rrggbb` or `#rgb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Colour([u8; 3]);

impl Colour {
    /// Parses `#rrggbb` or `#rgb` (either case).
    pub fn parse(text: &str) -> Result<Self, String> {
        let refused = || format!("{text:?} is not a colour written #rrggbb or #rgb");
        let hex = text.strip_prefix('#').ok_or_else(refused)?;
        let digit = |i: usize| {
            hex.get(i..=i)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
                .ok_or_else(refused)
        };
        match hex.len() {
            6 => Ok(Self([
                digit(0)? << 4 | digit(1)?,
                digit(2)? << 4 | digit(3)?,
                digit(4)? << 4 | digit(5)?,
            ])),
            3 => Ok(Self([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            _ => Err(refused()),
        }
    }

    /// WCAG 2's relative luminance: linearised sRGB, weighted by the eye's sensitivity.
    fn relative_luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// WCAG 2's contrast ratio with another colour, from 1 (none) to 21 (black on white).
    pub fn contrast(self, other: Self) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

impl TryFrom<String> for Colour {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// What a colour is used for: each is one custom property of the widget's stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColourRole {
    /// Primary buttons, links, the current stage.
    Brand,
    /// Text on `brand` (the primary button's label).
    BrandContrast,
    Text,
    /// Hints and secondary text.
    Muted,
    Background,
    /// Panels: the reference number, the terms, offers.
    Surface,
    /// Input borders.
    Border,
    Error,
    Success,
    /// The keyboard focus outline.
    Focus,
}

impl ColourRole {
    /// Every role, in the stylesheet's order.
    pub const ALL: [Self; 10] = [
        Self::Brand,
        Self::BrandContrast,
        Self::Text,
        Self::Muted,
        Self::Background,
        Self::Surface,
        Self::Border,
        Self::Error,
        Self::Success,
        Self::Focus,
    ];

    /// The custom property's name, without the leading `--`.
    pub const fn property(self) -> &'static str {
        match self {
            Self::Brand => "brand",
            Self::BrandContrast => "brand-contrast",
            Self::Text => "text",
            Self::Muted => "muted",
            Self::Background => "background",
            Self::Surface => "surface",
            Self::Border => "border",
            Self::Error => "error",
            Self::Success => "success",
            Self::Focus => "focus",
        }
    }

    /// The widget's own colour, as `style/widget.css` sets it (a test keeps them equal).
    pub const fn default_colour(self) -> Colour {
        Colour(match self {
            Self::Brand => [0x0b, 0x3d, 0x91],
            Self::BrandContrast => [0xff, 0xff, 0xff],
            Self::Text => [0x1b, 0x1b, 0x1f],
            Self::Muted => [0x4a, 0x4f, 0x5c],
            Self::Background => [0xff, 0xff, 0xff],
            Self::Surface => [0xf4, 0xf6, 0xfb],
            Self::Border => [0x76, 0x7b, 0x87],
            Self::Error => [0xb0, 0x00, 0x20],
            Self::Success => [0x0f, 0x6b, 0x3a],
            Self::Focus => [0xc2, 0x5e, 0x00],
        })
    }
}

/// The colour pairs the widget draws one on the other, and the contrast WCAG 2.2 AA asks of
/// each: 4.5:1 for text (1.4.3), 3:1 for borders and the focus outline (1.4.11).
const CONTRAST_RULES: [(ColourRole, ColourRole, f64); 11] = {
    use ColourRole::*;
    [
        (Text, Background, 4.5),
        (Text, Surface, 4.5),
        (Muted, Background, 4.5),
        (Brand, Background, 4.5),
        (Brand, Surface, 4.5),
        (BrandContrast, Brand, 4.5),
        (Error, Background, 4.5),
        (Success, Background, 4.5),
        (Success, Surface, 4.5),
        (Border, Background, 3.0),
        (Focus, Background, 3.0),
    ]
};

/// A partner's `[partner.theme]` as written in the partners file; everything is optional
/// and falls back to the widget's own look.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeSettings {
    #[serde(default)]
    colours: BTreeMap<ColourRole, Colour>,
    /// Corner radius of inputs, buttons and panels: `0`, `<n>px` (at most 32) or `<n>rem`
    /// (at most 2).
    radius: Option<String>,
    /// A CSS font stack, e.g. `"Source Sans 3", Arial, sans-serif`.
    font: Option<String>,
    /// The partner's logo, shown above the application: an `https` URL, or any URL on one
    /// of the partner's allowed origins.
    logo: Option<String>,
}

/// A checked theme, ready to serve.
#[derive(Debug, Clone)]
pub struct Theme {
    stylesheet: String,
    /// A digest of the stylesheet: its URL changes whenever it does, so it can be cached.
    version: String,
    logo_origin: Option<String>,
}

impl Theme {
    /// Checks every setting and the contrast of every pair the widget draws, refusing the
    /// theme with every reason at once.
    pub fn new(settings: &ThemeSettings, allowed_origins: &[String]) -> Result<Self, String> {
        let colour = |role: ColourRole| {
            settings
                .colours
                .get(&role)
                .copied()
                .unwrap_or(role.default_colour())
        };
        let mut problems: Vec<String> = CONTRAST_RULES
            .iter()
            .filter_map(|&(fore, back, minimum)| {
                let ratio = colour(fore).contrast(colour(back));
                // Compared at the two decimals WCAG tools report, so 4.496 does not pass as 4.50.
                ((ratio * 100.0).floor() / 100.0 < minimum).then(|| {
                    format!(
                        "{} {} on {} {} has a contrast of {:.2}:1, below WCAG AA's {minimum}:1",
                        fore.property(),
                        colour(fore),
                        back.property(),
                        colour(back),
                        (ratio * 100.0).floor() / 100.0
                    )
                })
            })
            .collect();

        let mut properties: Vec<(&str, String)> = settings
            .colours
            .iter()
            .map(|(role, colour)| (role.property(), colour.to_string()))
            .collect();
        if let Some(radius) = &settings.radius {
            match parse_radius(radius) {
                Ok(radius) => properties.push(("radius", radius)),
                Err(problem) => problems.push(problem),
            }
        }
        if let Some(font) = &settings.font {
            match parse_font_stack(font) {
                Ok(font) => properties.push(("font", font.to_owned())),
                Err(problem) => problems.push(problem),
            }
        }
        let logo = match settings
            .logo
            .as_deref()
            .map(|l| parse_logo(l, allowed_origins))
        {
            Some(Ok(logo)) => Some(logo),
            Some(Err(problem)) => {
                problems.push(problem);
                None
            }
            None => None,
        };
        if !problems.is_empty() {
            return Err(format!("theme refused: {}", problems.join("; ")));
        }

        let declarations: Vec<String> = properties
            .iter()
            .map(|(name, value)| format!("--{name}:{value}"))
            .collect();
        let mut stylesheet = format!(":root{{{}}}\n", declarations.join(";"));
        if let Some(logo) = &logo {
            // A background, so the logo is decoration: the partner's name is in the text.
            stylesheet.push_str(&format!(
                ".widget::before{{content:\"\";display:block;height:3rem;margin-bottom:1rem;\
                 background:url(\"{logo}\") no-repeat left center/contain}}\n"
            ));
        }
        let digest = Sha256::digest(stylesheet.as_bytes());
        let version = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self {
            stylesheet,
            version,
            logo_origin: logo.map(|l| l.origin().ascii_serialization()),
        })
    }

    /// The stylesheet's path, to link from the partner's widget page.
    pub fn path(&self, partner_id: &str) -> String {
        format!("/theme/{partner_id}/{}.css", self.version)
    }

    /// The origin the logo is loaded from, for the page's `img-src`.
    pub fn logo_origin(&self) -> Option<&str> {
        self.logo_origin.as_deref()
    }
}

fn parse_radius(text: &str) -> Result<String, String> {
    let refused = || format!("radius {text:?} is not 0, <n>px (at most 32) or <n>rem (at most 2)");
    if text == "0" {
        return Ok(text.to_owned());
    }
    let (number, max) = if let Some(n) = text.strip_suffix("px") {
        (n, 32.0)
    } else if let Some(n) = text.strip_suffix("rem") {
        (n, 2.0)
    } else {
        return Err(refused());
    };
    // Digits and one point only: no exponents, signs, `inf` or `NaN`.
    let plain = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && number.bytes().filter(|&b| b == b'.').count() <= 1;
    match number.parse::<f64>() {
        Ok(value) if plain && value <= max => Ok(text.to_owned()),
        _ => Err(refused()),
    }
}

/// A font stack may hold only what family names are made of, so nothing can end the
/// declaration it is written into.
fn parse_font_stack(text: &str) -> Result<&str, String> {
    let allowed = text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | ',' | '-' | '"' | '\''));
    let balanced =
        text.matches('"').count().is_multiple_of(2) && text.matches('\'').count().is_multiple_of(2);
    if allowed && balanced && !text.trim().is_empty() && text.len() <= 200 {
        Ok(text)
    } else {
        Err(format!(
            "font {text:?} must be a list of family names (letters, digits, spaces, hyphens, \
             commas and balanced quotes, at most 200 bytes)"
        ))
    }
}

fn parse_logo(text: &str, allowed_origins: &[String]) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("logo {text:?}: {e}"))?;
    let own_origin = allowed_origins.contains(&url.origin().ascii_serialization());
    let secure = url.scheme() == "https" || (url.scheme() == "http" && own_origin);
    // The URL goes inside `url("…")`: nothing in it may end the string or the rule.
    let quotable = !url
        .as_str()
        .contains(|c: char| matches!(c, '"' | '\'' | '\\' | '(' | ')') || c.is_whitespace());
    if secure && quotable && url.username().is_empty() && url.password().is_none() {
        Ok(url)
    } else {
        Err(format!(
            "logo {text:?} must be an https URL (or one on the partner's allowed origins), \
             without credentials, quotes, brackets or backslashes"
        ))
    }
}

/// `GET /theme/{partner}/{version}.css`: immutable, since its URL names its content.
pub async fn stylesheet(
    State(partners): State<Arc<Partners>>,
    Path((partner, file)): Path<(String, String)>,
) -> Response {
    match partners.theme(&partner) {
        Some(theme) if file.strip_suffix(".css") == Some(theme.version.as_str()) => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            theme.stylesheet.clone(),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml_text: &str) -> ThemeSettings {
        toml::from_str(toml_text).unwrap()
    }

    fn origins() -> Vec<String> {
        vec!["http://127.0.0.1:8080".into()]
    }

    #[test]
    fn contrast_is_wcag_2s_ratio() {
        let white = Colour::parse("#fff").unwrap();
        let black = Colour::parse("#000000").unwrap();
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // The classic boundary: #767676 passes on white, #777777 does not.
        assert!(Colour::parse("#767676").unwrap().contrast(white) >= 4.5);
        assert!(Colour::parse("#777777").unwrap().contrast(white) < 4.5);
    }

    #[test]
    fn colours_are_written_as_hex() {
        assert_eq!(Colour::parse("#0B3D91").unwrap().to_string(), "#0b3d91");
        assert_eq!(Colour::parse("#abc").unwrap().to_string(), "#aabbcc");
        for refused in [
            "0b3d91",
            "#0b3d9",
            "#ggg",
            "#0b3d91ff",
            "red",
            "#+1+1+1",
            "",
        ] {
            assert!(Colour::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn the_widgets_own_look_passes_its_own_check() {
        assert!(Theme::new(&ThemeSettings::default(), &[]).is_ok());
    }

    #[test]
    fn the_defaults_are_the_widget_stylesheets() {
        let css = include_str!("../../../style/widget.css");
        for role in ColourRole::ALL {
            let declaration = format!("--{}: {};", role.property(), role.default_colour());
            assert!(css.contains(&declaration), "widget.css lacks {declaration}");
        }
    }

    #[test]
    fn a_theme_below_aa_contrast_is_refused_with_each_failing_pair() {
        let error = Theme::new(
            &settings("colours = { text = \"#777777\", brand = \"#ffd700\" }"),
            &origins(),
        )
        .unwrap_err();
        assert!(
            error.contains("text #777777 on background #ffffff has a contrast of 4.47:1"),
            "{error}"
        );
        // A light brand colour fails as link text and under the button's white label.
        assert!(error.contains("brand #ffd700 on background"), "{error}");
        assert!(
            error.contains("brand-contrast #ffffff on brand #ffd700"),
            "{error}"
        );
        // A dark theme is fine when every pair is.
        let dark = "colours = { text = \"#f5f5f5\", muted = \"#c8c8c8\", background = \"#121212\", \
                    surface = \"#1e1e1e\", brand = \"#8ab4f8\", brand_contrast = \"#121212\", \
                    border = \"#9e9e9e\", error = \"#ff8a80\", success = \"#81c995\", focus = \"#fdd663\" }";
        assert!(Theme::new(&settings(dark), &origins()).is_ok());
    }

    #[test]
    fn radius_font_and_logo_cannot_break_out_of_the_stylesheet() {
        for (setting, fragment) in [
            ("radius = \"12px;}body{display:none\"", "radius"),
            ("radius = \"40px\"", "radius"),
            ("radius = \"1e1px\"", "radius"),
            ("font = \"Arial;}*{color:red\"", "font"),
            ("font = \"\\\"Open Sans, Arial\"", "font"),
            ("logo = \"http://evil.example/logo.svg\"", "logo"),
            ("logo = \"https://cdn.example/a\\\")}.x{\"", "logo"),
            ("logo = \"javascript:alert(1)\"", "logo"),
        ] {
            let error = Theme::new(&settings(setting), &origins()).unwrap_err();
            assert!(error.contains(fragment), "{setting}: {error}");
        }
        assert!(toml::from_str::<ThemeSettings>("colors = {}").is_err());
        assert!(toml::from_str::<ThemeSettings>("colours = { accent = \"#000\" }").is_err());
    }

    #[test]
    fn the_stylesheet_sets_only_what_the_partner_chose() {
        let theme = Theme::new(
            &settings(
                "radius = \"12px\"\nfont = \"Georgia, 'Times New Roman', serif\"\n\
                 logo = \"http://127.0.0.1:8080/demo/logo.svg\"\ncolours = { brand = \"#6b1d5c\" }",
            ),
            &origins(),
        )
        .unwrap();
        assert!(theme.stylesheet.starts_with(
            ":root{--brand:#6b1d5c;--radius:12px;--font:Georgia, 'Times New Roman', serif}\n"
        ));
        assert!(theme
            .stylesheet
            .contains("url(\"http://127.0.0.1:8080/demo/logo.svg\")"));
        assert_eq!(theme.logo_origin(), Some("http://127.0.0.1:8080"));
        assert_eq!(theme.path("p"), format!("/theme/p/{}.css", theme.version));
        assert_eq!(theme.version.len(), 16);
    }
}
