//! HTML to PDF, for the subset of HTML edition templates use.
//!
//! The pipeline: `html` reads the document into a tree, `blocs` turns it into paragraphs,
//! images, tables and rules with their inherited presentation, `composition` breaks lines and
//! sizes table columns with the metrics of the embedded fonts (`polices`), then this module
//! spreads the bands over A4 pages (2 cm margins, headings and first lines kept with what
//! follows, table headers repeated, « Page n sur N » at the foot of documents of several pages)
//! and draws them with `krilla`.
//!
//! The text is real text: the embedded fonts are subset with a Unicode map, so a reader can
//! select, search and extract it, accents and French punctuation included. Images are PNG or
//! JPEG `data:` URIs (the collectivité's logo); nothing is fetched from the network.

mod blocs;
mod composition;
mod html;
mod polices;

use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::{Document, SerializeSettings};

use composition::{Bande, Trace};
use polices::Style;

/// Width of an A4 page, in points.
const PAGE_LARGEUR: f32 = 595.276;
/// Height of an A4 page, in points.
const PAGE_HAUTEUR: f32 = 841.89;
/// Margin on each side: 2 cm.
const MARGE: f32 = 56.693;
/// Room kept at the foot of each page for its number.
const PIED: f32 = 14.0;
/// Largest side, in pixels, of an image a document may show.
pub(crate) const PIXELS_MAX: u32 = 4000;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The embedded fonts could not be read (a broken build).
    #[error("les polices des éditions sont illisibles")]
    Polices,
    /// An image of the document cannot be decoded.
    #[error("une image du document est illisible ({0})")]
    Image(String),
    /// The PDF writer failed.
    #[error("écriture du PDF impossible : {0}")]
    Ecriture(String),
}

/// Lays `html` out on A4 pages and returns the PDF. `titre` is the document's title when the
/// HTML has no `<title>`.
///
/// # Errors
/// [`PdfError`] when the fonts or the PDF writer fail; any HTML is accepted.
pub fn html_vers_pdf(html: &str, titre: &str) -> Result<Vec<u8>, PdfError> {
    let polices = polices::polices().ok_or(PdfError::Polices)?;
    let document = html::lire(html);
    let blocs = blocs::blocs(&document.corps);
    let largeur = PAGE_LARGEUR - 2.0 * MARGE;
    let hauteur = PAGE_HAUTEUR - 2.0 * MARGE - PIED;
    let bandes = composition::composer(polices, &blocs, largeur, hauteur);
    let pages = paginer(bandes, hauteur);

    let mut pdf = Document::new_with(SerializeSettings::default());
    let titre = document.titre.unwrap_or_else(|| titre.to_owned());
    pdf.set_metadata(
        Metadata::new()
            .title(titre)
            .language("fr-FR".to_owned())
            .creator("Socle — éditions".to_owned()),
    );
    let nombre = pages.len();
    let format = PageSettings::from_wh(PAGE_LARGEUR, PAGE_HAUTEUR)
        .ok_or_else(|| PdfError::Ecriture("format de page".to_owned()))?;
    for (rang, traces) in pages.into_iter().enumerate() {
        let mut page = pdf.start_page_with(format.clone());
        let mut surface = page.surface();
        for trace in traces {
            dessiner(&mut surface, polices, trace.decale(MARGE, MARGE));
        }
        if nombre > 1 {
            let texte = format!("Page {} sur {nombre}", rang + 1);
            let face = polices.face(Style::default());
            let taille = 8.0;
            let x = (PAGE_LARGEUR - face.largeur(&texte, taille)) / 2.0;
            dessiner(
                &mut surface,
                polices,
                Trace::Texte {
                    x,
                    y: PAGE_HAUTEUR - MARGE + PIED / 2.0,
                    texte,
                    style: Style::default(),
                    taille,
                },
            );
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| match e {
        krilla::error::KrillaError::Image(_, _, motif) => PdfError::Image(motif),
        autre => PdfError::Ecriture(autre.to_string()),
    })
}

/// Spreads the bands over pages of `hauteur` points; each page is its traces, placed from the
/// top-left corner of the text area.
fn paginer(bandes: Vec<Bande>, hauteur: f32) -> Vec<Vec<Trace>> {
    let mut pages: Vec<Vec<Trace>> = Vec::new();
    let mut page: Vec<Trace> = Vec::new();
    let mut vide = true;
    let mut y = 0.0;
    let mut marge_precedente = 0.0_f32;
    let mut suivantes = bandes.into_iter().peekable();
    while let Some(bande) = suivantes.next() {
        let espace = |precedente: f32, b: &Bande| precedente.max(b.marge_avant);
        let mut besoin = bande.hauteur;
        if bande.avec_la_suivante
            && let Some(suivante) = suivantes.peek()
        {
            besoin += espace(bande.marge_apres, suivante) + suivante.hauteur;
        }
        let saut =
            !vide && (bande.saut_avant || y + espace(marge_precedente, &bande) + besoin > hauteur);
        if saut {
            pages.push(std::mem::take(&mut page));
            y = 0.0;
            vide = true;
            if let Some(entete) = &bande.entete {
                for ligne in entete.iter() {
                    page.extend(ligne.traces.iter().cloned().map(|t| t.decale(0.0, y)));
                    y += ligne.hauteur;
                }
                vide = false;
                marge_precedente = 0.0;
            }
        }
        if !vide {
            y += espace(marge_precedente, &bande);
        }
        page.extend(bande.traces.into_iter().map(|t| t.decale(0.0, y)));
        y += bande.hauteur;
        marge_precedente = bande.marge_apres;
        vide = false;
    }
    pages.push(page);
    pages
}

fn dessiner(surface: &mut krilla::surface::Surface<'_>, polices: &polices::Polices, trace: Trace) {
    match trace {
        Trace::Texte {
            x,
            y,
            texte,
            style,
            taille,
        } => {
            let face = polices.face(style);
            let glyphes = face.glyphes(&texte);
            surface.draw_glyphs(
                Point::from_xy(x, y),
                &glyphes,
                face.police.clone(),
                &texte,
                taille,
                false,
            );
        }
        Trace::Image {
            x,
            y,
            largeur,
            hauteur,
            image,
        } => {
            if let Some(taille) = Size::from_wh(largeur, hauteur) {
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_image(image, taille);
                surface.pop();
            }
        }
        Trace::Trait { de, a, epaisseur } => {
            let mut chemin = PathBuilder::new();
            chemin.move_to(de.0, de.1);
            chemin.line_to(a.0, a.1);
            if let Some(chemin) = chemin.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: epaisseur,
                    ..Stroke::default()
                }));
                surface.draw_path(&chemin);
                surface.set_stroke(None);
            }
        }
    }
}

/// Checks that `octets` are a PNG or JPEG image a document can show, and gives its size in
/// pixels.
///
/// # Errors
/// Why it cannot, in French.
pub fn verifier_image(octets: &[u8]) -> Result<(u32, u32), String> {
    let image = blocs::image(octets.to_vec()).ok_or_else(|| {
        format!("image PNG ou JPEG illisible, ou plus grande que {PIXELS_MAX} pixels de côté")
    })?;
    let taille = image.size();
    // Decoding happens when the PDF is written: write one to be sure it decodes.
    let mut essai = Document::new();
    let format = PageSettings::from_wh(100.0, 100.0).ok_or("format de page")?;
    let mut page = essai.start_page_with(format);
    let mut surface = page.surface();
    if let Some(cadre) = Size::from_wh(100.0, 100.0) {
        surface.draw_image(image, cadre);
    }
    surface.finish();
    page.finish();
    essai
        .finish()
        .map_err(|_| "image PNG ou JPEG illisible (données corrompues)".to_owned())?;
    Ok(taille)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_runs_over_several_pages() {
        let mut html =
            String::from("<h1>Liste</h1><table border=\"1\"><tr><th>N°</th><th>Nom</th></tr>");
        for n in 1..=120 {
            html.push_str(&format!("<tr><td>{n}</td><td>Électeur n° {n}</td></tr>"));
        }
        html.push_str("</table><p style=\"page-break-before: always\">Fin.</p>");
        let pdf = html_vers_pdf(&html, "Liste").expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let document = html::lire(&html);
        let polices = polices::polices().expect("fonts");
        let largeur = PAGE_LARGEUR - 2.0 * MARGE;
        let hauteur = PAGE_HAUTEUR - 2.0 * MARGE - PIED;
        let pages = paginer(
            composition::composer(polices, &blocs::blocs(&document.corps), largeur, hauteur),
            hauteur,
        );
        assert!(pages.len() >= 4, "{} pages", pages.len());
        // The last page holds only the paragraph after the forced break.
        let derniere: Vec<&str> = pages[pages.len() - 1]
            .iter()
            .filter_map(|t| match t {
                Trace::Texte { texte, .. } => Some(texte.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(derniere, ["Fin."]);
        // Every page of the table starts with its header row.
        for page in &pages[1..pages.len() - 1] {
            let premier = page.iter().find_map(|t| match t {
                Trace::Texte { texte, .. } => Some(texte.as_str()),
                _ => None,
            });
            assert_eq!(premier, Some("N°"));
        }
    }

    /// CRC-32 of a PNG chunk (type and data).
    fn crc32(octets: &[u8]) -> u32 {
        let mut crc = u32::MAX;
        for &octet in octets {
            crc ^= u32::from(octet);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn morceau(png: &mut Vec<u8>, nom: &[u8], donnees: &[u8]) {
        png.extend_from_slice(&u32::try_from(donnees.len()).expect("court").to_be_bytes());
        let debut = png.len();
        png.extend_from_slice(nom);
        png.extend_from_slice(donnees);
        let crc = crc32(&png[debut..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }

    #[test]
    fn an_image_that_does_not_decode_is_named() {
        // A 2×2 PNG whose header is right but whose pixels are not compressed data.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        morceau(&mut png, b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
        morceau(&mut png, b"IDAT", b"pas du zlib");
        morceau(&mut png, b"IEND", b"");
        assert!(blocs::image(png.clone()).is_some(), "the header reads");
        use base64::Engine;
        let uri = base64::engine::general_purpose::STANDARD.encode(&png);
        let html = format!("<p>avant</p><img src=\"data:image/png;base64,{uri}\"><p>après</p>");
        match html_vers_pdf(&html, "essai") {
            Err(PdfError::Image(_)) => {}
            autre => panic!("{:?}", autre.map(|o| o.len())),
        }
        assert!(verifier_image(&png).is_err());
    }

    #[test]
    fn images_are_checked() {
        assert!(verifier_image(b"GIF89a").is_err());
        assert!(verifier_image(b"\x89PNG\r\n\x1a\nnot really").is_err());
    }
}
