//! The fonts embedded in every PDF, and the widths the layout measures text with.
//!
//! The same font files give the glyphs drawn (through `krilla`) and the widths measured (through
//! `skrifa`), so what the layout measures is exactly what the page shows.

use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// The four faces of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Style {
    /// Bold (`<strong>`, `<b>`, headings, table headers).
    pub(super) gras: bool,
    /// Italic (`<em>`, `<i>`).
    pub(super) italique: bool,
}

/// One face: its `krilla` font and its metrics.
pub(super) struct Face {
    /// The font `krilla` embeds.
    pub(super) police: Font,
    fonte: FontRef<'static>,
    largeurs: GlyphMetrics<'static>,
    unites_par_em: f32,
    /// Top of the tallest glyphs above the baseline, in em.
    pub(super) ascendante: f32,
    /// Bottom of the lowest glyphs below the baseline, in em (positive).
    pub(super) descendante: f32,
    remplacement: Option<skrifa::GlyphId>,
}

impl Face {
    fn charger(octets: &'static [u8]) -> Option<Self> {
        let fonte = FontRef::new(octets).ok()?;
        let police = Font::new(octets.into(), 0)?;
        let metriques = fonte.metrics(Size::unscaled(), LocationRef::default());
        let unites_par_em = f32::from(metriques.units_per_em.max(1));
        let largeurs = fonte.glyph_metrics(Size::unscaled(), LocationRef::default());
        let remplacement = fonte.charmap().map('?');
        Some(Self {
            police,
            fonte,
            largeurs,
            unites_par_em,
            ascendante: metriques.ascent / unites_par_em,
            descendante: metriques.descent.abs() / unites_par_em,
            remplacement,
        })
    }

    /// The glyph of `c`, or that of `?` when the font has none.
    fn glyphe(&self, c: char) -> skrifa::GlyphId {
        self.fonte
            .charmap()
            .map(c)
            .or(self.remplacement)
            .unwrap_or(skrifa::GlyphId::NOTDEF)
    }

    /// Advance of a glyph, in em.
    fn avance(&self, glyphe: skrifa::GlyphId) -> f32 {
        self.largeurs.advance_width(glyphe).unwrap_or(0.0) / self.unites_par_em
    }

    /// Width of `texte` at `taille` points.
    pub(super) fn largeur(&self, texte: &str, taille: f32) -> f32 {
        texte
            .chars()
            .map(|c| self.avance(self.glyphe(visible(c))))
            .sum::<f32>()
            * taille
    }

    /// The glyphs that draw `texte`, each tied to the characters it stands for, so that the
    /// PDF's text (copy, search, extraction) is `texte` itself.
    pub(super) fn glyphes(&self, texte: &str) -> Vec<KrillaGlyph> {
        texte
            .char_indices()
            .map(|(debut, c)| {
                let glyphe = self.glyphe(visible(c));
                KrillaGlyph::new(
                    GlyphId::new(glyphe.to_u32()),
                    self.avance(glyphe),
                    0.0,
                    0.0,
                    0.0,
                    debut..debut + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// The character drawn for `c`: spaces that must not break a line look like a space.
fn visible(c: char) -> char {
    match c {
        '\u{a0}' | '\u{202f}' | '\u{2007}' => ' ',
        '\u{2011}' => '-',
        other => other,
    }
}

/// The four faces, loaded once.
pub(super) struct Polices {
    romain: Face,
    gras: Face,
    italique: Face,
    gras_italique: Face,
}

impl Polices {
    /// The face of a style.
    pub(super) fn face(&self, style: Style) -> &Face {
        match (style.gras, style.italique) {
            (false, false) => &self.romain,
            (true, false) => &self.gras,
            (false, true) => &self.italique,
            (true, true) => &self.gras_italique,
        }
    }
}

static POLICES: OnceLock<Option<Polices>> = OnceLock::new();

/// The embedded fonts; `None` only if a font file of the crate were unreadable.
pub(super) fn polices() -> Option<&'static Polices> {
    POLICES
        .get_or_init(|| {
            Some(Polices {
                romain: Face::charger(include_bytes!("polices/DejaVuSerif.ttf"))?,
                gras: Face::charger(include_bytes!("polices/DejaVuSerif-Bold.ttf"))?,
                italique: Face::charger(include_bytes!("polices/DejaVuSerif-Italic.ttf"))?,
                gras_italique: Face::charger(include_bytes!("polices/DejaVuSerif-BoldItalic.ttf"))?,
            })
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_load_and_measure_french_text() {
        let polices = polices().expect("embedded fonts");
        let romain = polices.face(Style::default());
        let gras = polices.face(Style {
            gras: true,
            italique: false,
        });
        let texte = "Œuvre à l'élection « Ça » — 1er";
        assert!(romain.largeur(texte, 11.0) > 100.0);
        assert!(gras.largeur(texte, 11.0) > romain.largeur(texte, 11.0));
        // Every character of French text has its own glyph.
        for c in "éèêëàâäçœŒÉÈÀÇ«»’€ïîôûùü".chars() {
            assert_ne!(
                romain.glyphe(c),
                romain.glyphe('\u{4e2d}'),
                "{c} has no glyph"
            );
        }
        assert_eq!(romain.glyphes("a\u{a0}é").len(), 3);
        assert!(romain.ascendante > 0.5 && romain.descendante > 0.1);
    }
}
