//! From the HTML tree to blocks: paragraphs of styled text, images, tables, rules and page
//! breaks, with what each inherits from its ancestors (alignment, indentation, size, weight).
//!
//! What is read of the presentation: the elements' meaning (`h1`–`h6`, `p`, `strong`, `em`,
//! `ul`/`ol`/`li`, `table`, `th`, `blockquote`, `hr`, `br`, `img`…), the `align`, `valign`,
//! `width`, `height`, `colspan` and `border` attributes, the classes `centre`, `droite`,
//! `justifie`, `grille` and `saut-de-page`, and these declarations of a `style` attribute:
//! `text-align`, `vertical-align`, `font-size`, `font-weight`, `font-style`, `margin-left`,
//! `width`, `page-break-before`/`-after`, `break-before`/`-after`. Style sheets are ignored.

use base64::Engine;
use krilla::image::Image;

use super::html::{Element, Noeud};
use super::polices::Style;

/// Size of body text, in points.
pub(super) const TAILLE_TEXTE: f32 = 11.0;

/// Horizontal alignment of text (and of images).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Alignement {
    /// Ragged right.
    #[default]
    Gauche,
    /// Centred.
    Centre,
    /// Ragged left.
    Droite,
    /// Both edges straight (the last line of a paragraph stays ragged).
    Justifie,
}

/// Vertical alignment of a table cell's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Vertical {
    /// At the top.
    Haut,
    /// Centred, as browsers do by default.
    #[default]
    Milieu,
    /// At the bottom.
    Bas,
}

/// A piece of text in one style. A `'\u{2028}'` (line separator) is a forced line break.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Segment {
    /// The text, whitespace as written (collapsed later).
    pub(super) texte: String,
    /// Its face.
    pub(super) style: Style,
}

/// A paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Paragraphe {
    /// Its text.
    pub(super) segments: Vec<Segment>,
    /// Size, in points.
    pub(super) taille: f32,
    /// Alignment.
    pub(super) alignement: Alignement,
    /// Left indentation, in points.
    pub(super) retrait: f32,
    /// Space above, in points (collapsed with the space below the previous block).
    pub(super) marge_avant: f32,
    /// Space below, in points.
    pub(super) marge_apres: f32,
    /// A list marker drawn before the first line, in the indentation.
    pub(super) puce: Option<String>,
    /// A heading: kept on the same page as what follows.
    pub(super) titre: bool,
}

/// An image, decoded enough to know its size.
#[derive(Debug, Clone)]
pub(super) struct Illustration {
    /// The image.
    pub(super) image: Image,
    /// Width drawn, in points.
    pub(super) largeur: f32,
    /// Height drawn, in points.
    pub(super) hauteur: f32,
    /// Alignment.
    pub(super) alignement: Alignement,
    /// Left indentation, in points.
    pub(super) retrait: f32,
}

/// A table cell.
#[derive(Debug, Clone)]
pub(super) struct Cellule {
    /// Its content.
    pub(super) blocs: Vec<Bloc>,
    /// How many columns it spans.
    pub(super) colonnes: usize,
    /// Vertical alignment.
    pub(super) vertical: Vertical,
}

/// A table.
#[derive(Debug, Clone)]
pub(super) struct Tableau {
    /// Rows of cells.
    pub(super) lignes: Vec<Vec<Cellule>>,
    /// How many leading rows are headers, repeated at the top of each page the table runs on.
    pub(super) lignes_entete: usize,
    /// Whether cells are ruled.
    pub(super) grille: bool,
    /// Width asked for: a share of the available width, or points.
    pub(super) largeur: Option<Largeur>,
    /// Left indentation, in points.
    pub(super) retrait: f32,
}

/// A width asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Largeur {
    /// A share of the available width (0 to 1).
    Part(f32),
    /// Points.
    Points(f32),
}

/// A block of the page.
#[derive(Debug, Clone)]
pub(super) enum Bloc {
    /// A paragraph (or heading, or list item).
    Paragraphe(Paragraphe),
    /// An image on its own line.
    Image(Illustration),
    /// A table.
    Tableau(Tableau),
    /// A horizontal rule, indented.
    Filet(f32),
    /// The next block starts a page.
    SautDePage,
}

/// What a block inherits from its ancestors.
#[derive(Debug, Clone, Copy)]
struct Heritage {
    style: Style,
    taille: f32,
    alignement: Alignement,
    retrait: f32,
}

impl Default for Heritage {
    fn default() -> Self {
        Self {
            style: Style::default(),
            taille: TAILLE_TEXTE,
            alignement: Alignement::Gauche,
            retrait: 0.0,
        }
    }
}

/// The blocks of a document's body.
pub(super) fn blocs(corps: &[Noeud]) -> Vec<Bloc> {
    let mut sortie = Vec::new();
    let mut lecteur = Lecteur {
        sortie: &mut sortie,
        segments: Vec::new(),
        heritage: Heritage::default(),
    };
    lecteur.enfants(corps, Heritage::default());
    lecteur.terminer_paragraphe();
    sortie
}

struct Lecteur<'a> {
    sortie: &'a mut Vec<Bloc>,
    /// Inline text not yet in a paragraph, and what its paragraph inherits.
    segments: Vec<Segment>,
    heritage: Heritage,
}

/// Elements laid out as blocks.
fn est_bloc(nom: &str) -> bool {
    matches!(
        nom,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "address"
            | "blockquote"
            | "center"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "hr"
            | "pre"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
    )
}

impl Lecteur<'_> {
    fn enfants(&mut self, noeuds: &[Noeud], heritage: Heritage) {
        for noeud in noeuds {
            match noeud {
                Noeud::Texte(texte) => self.texte(texte, heritage),
                Noeud::Element(element) => self.element(element, heritage),
            }
        }
    }

    fn texte(&mut self, texte: &str, heritage: Heritage) {
        if self.segments.is_empty() {
            self.heritage = heritage;
        }
        self.segments.push(Segment {
            texte: texte.to_owned(),
            style: heritage.style,
        });
    }

    /// Ends the paragraph of the inline text read so far, if it has any visible text.
    fn terminer_paragraphe(&mut self) {
        let segments = std::mem::take(&mut self.segments);
        let visible = segments
            .iter()
            .any(|s| s.texte.chars().any(|c| !c.is_ascii_whitespace()));
        if visible {
            self.sortie.push(Bloc::Paragraphe(Paragraphe {
                segments,
                taille: self.heritage.taille,
                alignement: self.heritage.alignement,
                retrait: self.heritage.retrait,
                marge_avant: 0.0,
                marge_apres: 0.0,
                puce: None,
                titre: false,
            }));
        }
    }

    fn element(&mut self, element: &Element, parent: Heritage) {
        let nom = element.nom.as_str();
        let mut heritage = heriter(element, parent);
        if !est_bloc(nom) {
            match nom {
                "br" => self.texte("\u{2028}", heritage),
                "img" => {
                    self.terminer_paragraphe();
                    if let Some(image) = illustration(element, heritage) {
                        self.sortie.push(Bloc::Image(image));
                    }
                }
                _ => self.enfants(&element.enfants, heritage),
            }
            return;
        }
        self.terminer_paragraphe();
        let saut_avant = matches!(
            element
                .style("page-break-before")
                .or(element.style("break-before"))
                .as_deref(),
            Some("always" | "page")
        ) || element.a_classe("saut-de-page");
        if saut_avant {
            self.sortie.push(Bloc::SautDePage);
        }
        match nom {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let (taille, avant, apres) = match nom {
                    "h1" => (17.0, 14.0, 10.0),
                    "h2" => (14.0, 12.0, 8.0),
                    "h3" => (12.5, 10.0, 6.0),
                    _ => (TAILLE_TEXTE, 8.0, 4.0),
                };
                if element.style("font-size").is_none() {
                    heritage.taille = taille;
                }
                if element.style("font-weight").is_none() {
                    heritage.style.gras = true;
                }
                self.paragraphe(element, heritage, avant, apres, None, true);
            }
            "p" | "dt" | "figcaption" => {
                if nom == "dt" && element.style("font-weight").is_none() {
                    heritage.style.gras = true;
                }
                let marge = if nom == "p" {
                    0.7 * heritage.taille
                } else {
                    0.0
                };
                self.paragraphe(element, heritage, marge, marge, None, false);
            }
            "pre" => {
                let mut segments = Vec::new();
                texte_brut(&element.enfants, heritage.style, &mut segments);
                self.heritage = heritage;
                for segment in &mut segments {
                    segment.texte = segment.texte.replace(' ', "\u{a0}");
                }
                self.segments = segments;
                self.terminer_paragraphe();
            }
            "ul" | "ol" => {
                heritage.retrait += 22.0;
                let ordonnee = nom == "ol";
                let mut numero = element
                    .attribut("start")
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .unwrap_or(1);
                for enfant in &element.enfants {
                    match enfant {
                        Noeud::Element(li) if li.nom == "li" => {
                            let puce = if ordonnee {
                                format!("{numero}.")
                            } else {
                                "•".to_owned()
                            };
                            numero = numero.saturating_add(1);
                            self.item(li, heriter(li, heritage), puce);
                        }
                        autre => self.enfants(std::slice::from_ref(autre), heritage),
                    }
                    self.terminer_paragraphe();
                }
                if let Some(Bloc::Paragraphe(dernier)) = self.sortie.last_mut() {
                    dernier.marge_apres = dernier.marge_apres.max(0.5 * heritage.taille);
                }
            }
            "li" => {
                heritage.retrait += 22.0;
                self.item(element, heritage, "•".to_owned());
            }
            "blockquote" | "dd" => {
                heritage.retrait += 28.0;
                self.enfants(&element.enfants, heritage);
            }
            "table" => {
                if let Some(tableau) = tableau(element, heritage) {
                    self.sortie.push(Bloc::Tableau(tableau));
                }
            }
            "hr" => self.sortie.push(Bloc::Filet(heritage.retrait)),
            _ => self.enfants(&element.enfants, heritage),
        }
        self.terminer_paragraphe();
        let saut_apres = matches!(
            element
                .style("page-break-after")
                .or(element.style("break-after"))
                .as_deref(),
            Some("always" | "page")
        );
        if saut_apres {
            self.sortie.push(Bloc::SautDePage);
        }
    }

    /// A block whose content is mostly inline: its first paragraph gets the space above, its
    /// last the space below.
    fn paragraphe(
        &mut self,
        element: &Element,
        heritage: Heritage,
        avant: f32,
        apres: f32,
        puce: Option<String>,
        titre: bool,
    ) {
        let debut = self.sortie.len();
        self.heritage = heritage;
        self.enfants(&element.enfants, heritage);
        self.terminer_paragraphe();
        let mut premier = true;
        let mut puce = puce;
        for bloc in &mut self.sortie[debut..] {
            if let Bloc::Paragraphe(p) = bloc {
                if premier {
                    p.marge_avant = avant;
                    if p.puce.is_none() {
                        p.puce = puce.take();
                    }
                    premier = false;
                }
                p.titre |= titre;
            }
        }
        if let Some(Bloc::Paragraphe(p)) = self.sortie[debut..].last_mut() {
            p.marge_apres = apres;
        }
    }

    fn item(&mut self, li: &Element, heritage: Heritage, puce: String) {
        let debut = self.sortie.len();
        self.paragraphe(
            li,
            heritage,
            0.0,
            0.15 * heritage.taille,
            Some(puce.clone()),
            false,
        );
        // An item with no text still shows its marker.
        if self.sortie.len() == debut {
            self.sortie.push(Bloc::Paragraphe(Paragraphe {
                segments: vec![Segment {
                    texte: "\u{a0}".to_owned(),
                    style: heritage.style,
                }],
                taille: heritage.taille,
                alignement: heritage.alignement,
                retrait: heritage.retrait,
                marge_avant: 0.0,
                marge_apres: 0.0,
                puce: Some(puce),
                titre: false,
            }));
        }
    }
}

/// The text of a `<pre>`, line breaks kept.
fn texte_brut(noeuds: &[Noeud], style: Style, sortie: &mut Vec<Segment>) {
    for noeud in noeuds {
        match noeud {
            Noeud::Texte(texte) => sortie.push(Segment {
                texte: texte.replace("\r\n", "\n").replace('\n', "\u{2028}"),
                style,
            }),
            Noeud::Element(e) if e.nom == "br" => sortie.push(Segment {
                texte: "\u{2028}".to_owned(),
                style,
            }),
            Noeud::Element(e) => {
                let mut style = style;
                match e.nom.as_str() {
                    "strong" | "b" => style.gras = true,
                    "em" | "i" => style.italique = true,
                    _ => {}
                }
                texte_brut(&e.enfants, style, sortie);
            }
        }
    }
}

/// What `element` passes on to its content.
fn heriter(element: &Element, parent: Heritage) -> Heritage {
    let mut heritage = parent;
    match element.nom.as_str() {
        "strong" | "b" | "th" => heritage.style.gras = true,
        "em" | "i" | "cite" | "var" | "address" => heritage.style.italique = true,
        "center" => heritage.alignement = Alignement::Centre,
        "small" => heritage.taille = parent.taille * 0.85,
        _ => {}
    }
    if element.nom == "th" {
        heritage.alignement = Alignement::Centre;
    }
    if let Some(poids) = element.style("font-weight") {
        heritage.style.gras = matches!(
            poids.as_str(),
            "bold" | "bolder" | "600" | "700" | "800" | "900"
        );
    }
    if let Some(forme) = element.style("font-style") {
        heritage.style.italique = matches!(forme.as_str(), "italic" | "oblique");
    }
    if let Some(taille) = element
        .style("font-size")
        .and_then(|t| longueur(&t, parent.taille))
    {
        heritage.taille = taille.clamp(4.0, 72.0);
    }
    let alignement = element
        .style("text-align")
        .or_else(|| element.attribut("align").map(str::to_ascii_lowercase));
    if let Some(alignement) = alignement {
        heritage.alignement = match alignement.as_str() {
            "center" | "centre" => Alignement::Centre,
            "right" | "end" => Alignement::Droite,
            "justify" => Alignement::Justifie,
            _ => Alignement::Gauche,
        };
    }
    for (classe, alignement) in [
        ("centre", Alignement::Centre),
        ("droite", Alignement::Droite),
        ("justifie", Alignement::Justifie),
        ("gauche", Alignement::Gauche),
    ] {
        if element.a_classe(classe) {
            heritage.alignement = alignement;
        }
    }
    if let Some(marge) = element
        .style("margin-left")
        .and_then(|m| longueur(&m, heritage.taille))
    {
        heritage.retrait += marge.clamp(0.0, 400.0);
    }
    heritage
}

/// A CSS length (`2cm`, `15mm`, `12pt`, `120px`, `1.5em`, a bare number of pixels) in points.
fn longueur(valeur: &str, taille: f32) -> Option<f32> {
    let valeur = valeur.trim();
    let fin = valeur
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(valeur.len());
    let nombre: f32 = valeur[..fin].replace(',', ".").parse().ok()?;
    let points = match valeur[fin..].trim() {
        "" | "px" => nombre * 0.75,
        "pt" => nombre,
        "cm" => nombre * 72.0 / 2.54,
        "mm" => nombre * 72.0 / 25.4,
        "in" => nombre * 72.0,
        "em" | "rem" => nombre * taille,
        _ => return None,
    };
    points.is_finite().then_some(points)
}

/// A width attribute or declaration: a percentage, or a length.
fn largeur(element: &Element) -> Option<Largeur> {
    let valeur = element
        .style("width")
        .or_else(|| element.attribut("width").map(str::to_owned))?;
    if let Some(part) = valeur.trim().strip_suffix('%') {
        let part: f32 = part.trim().parse().ok().filter(|p: &f32| p.is_finite())?;
        return Some(Largeur::Part((part / 100.0).clamp(0.01, 1.0)));
    }
    longueur(&valeur, TAILLE_TEXTE).map(Largeur::Points)
}

/// The bytes of a `data:` URI of a PNG or JPEG image.
pub(super) fn donnees_image(src: &str) -> Option<Vec<u8>> {
    let reste = src.trim().strip_prefix("data:")?;
    let (entete, donnees) = reste.split_once(',')?;
    if !entete.ends_with(";base64") {
        return None;
    }
    let propre: String = donnees.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(propre)
        .ok()
}

/// The size a PNG declares in its header (IHDR), read before anything is decoded.
fn taille_png(octets: &[u8]) -> Option<(u32, u32)> {
    let entete = octets.get(12..24)?;
    if &entete[..4] != b"IHDR" {
        return None;
    }
    let largeur = u32::from_be_bytes(entete[4..8].try_into().ok()?);
    let hauteur = u32::from_be_bytes(entete[8..12].try_into().ok()?);
    Some((largeur, hauteur))
}

/// A krilla image from PNG or JPEG bytes, and its size in pixels. A PNG is decoded at once:
/// its declared size is checked first, so that a small file claiming a huge picture is refused
/// before any memory is taken for it.
pub(super) fn image(octets: Vec<u8>) -> Option<Image> {
    let image = if octets.starts_with(b"\x89PNG\r\n\x1a\n") {
        let (largeur, hauteur) = taille_png(&octets)?;
        if largeur == 0
            || hauteur == 0
            || largeur > super::PIXELS_MAX
            || hauteur > super::PIXELS_MAX
        {
            return None;
        }
        Image::from_png(octets.into(), true).ok()?
    } else if octets.starts_with(&[0xff, 0xd8, 0xff]) {
        Image::from_jpeg(octets.into(), true).ok()?
    } else {
        return None;
    };
    let (largeur, hauteur) = image.size();
    (largeur > 0 && hauteur > 0 && largeur <= super::PIXELS_MAX && hauteur <= super::PIXELS_MAX)
        .then_some(image)
}

/// An `<img>` whose source is a PNG or JPEG `data:` URI; other sources are left out (a PDF is
/// made without reaching the network).
fn illustration(element: &Element, heritage: Heritage) -> Option<Illustration> {
    let image = image(donnees_image(element.attribut("src")?)?)?;
    let (px_l, px_h) = image.size();
    let (naturelle_l, naturelle_h) = (px_l as f32 * 0.75, px_h as f32 * 0.75);
    let dimension = |nom: &str| {
        element
            .style(nom)
            .or_else(|| element.attribut(nom).map(str::to_owned))
            .and_then(|v| longueur(&v, heritage.taille))
            .filter(|v| v.is_finite() && *v > 0.0)
            .map(|v| v.min(10_000.0))
    };
    let (largeur, hauteur) = match (dimension("width"), dimension("height")) {
        (Some(l), Some(h)) => (l, h),
        (Some(l), None) => (l, l * naturelle_h / naturelle_l),
        (None, Some(h)) => (h * naturelle_l / naturelle_h, h),
        (None, None) => (naturelle_l, naturelle_h),
    };
    Some(Illustration {
        image,
        largeur,
        hauteur,
        alignement: heritage.alignement,
        retrait: heritage.retrait,
    })
}

fn tableau(element: &Element, heritage: Heritage) -> Option<Tableau> {
    let mut lignes = Vec::new();
    let mut lignes_entete = 0;
    let mut en_tete_seulement = true;
    let mut lire_lignes = |noeuds: &[Noeud], entete: bool, lignes: &mut Vec<Vec<Cellule>>| {
        for noeud in noeuds {
            let Noeud::Element(tr) = noeud else { continue };
            if tr.nom != "tr" {
                continue;
            }
            let heritage_ligne = heriter(tr, heritage);
            let mut cellules = Vec::new();
            let mut que_des_th = true;
            for cellule in &tr.enfants {
                let Noeud::Element(td) = cellule else {
                    continue;
                };
                if td.nom != "td" && td.nom != "th" {
                    continue;
                }
                que_des_th &= td.nom == "th";
                let heritage_cellule = Heritage {
                    retrait: 0.0,
                    ..heriter(td, heritage_ligne)
                };
                let mut contenu = Vec::new();
                let mut lecteur = Lecteur {
                    sortie: &mut contenu,
                    segments: Vec::new(),
                    heritage: heritage_cellule,
                };
                lecteur.enfants(&td.enfants, heritage_cellule);
                lecteur.terminer_paragraphe();
                let vertical = match td
                    .style("vertical-align")
                    .or_else(|| td.attribut("valign").map(str::to_ascii_lowercase))
                    .or_else(|| tr.attribut("valign").map(str::to_ascii_lowercase))
                    .as_deref()
                {
                    Some("top") => Vertical::Haut,
                    Some("bottom") => Vertical::Bas,
                    _ => Vertical::Milieu,
                };
                cellules.push(Cellule {
                    blocs: contenu,
                    colonnes: td
                        .attribut("colspan")
                        .and_then(|c| c.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 50),
                    vertical,
                });
            }
            if !cellules.is_empty() {
                if en_tete_seulement && (entete || que_des_th) {
                    lignes_entete += 1;
                } else {
                    en_tete_seulement = false;
                }
                lignes.push(cellules);
            }
        }
    };
    // Rows in document order, whether directly in the table or in its groups.
    for noeud in &element.enfants {
        match noeud {
            Noeud::Element(e) if matches!(e.nom.as_str(), "thead" | "tbody" | "tfoot") => {
                lire_lignes(&e.enfants, e.nom == "thead", &mut lignes);
            }
            autre => lire_lignes(std::slice::from_ref(autre), false, &mut lignes),
        }
    }
    if lignes.is_empty() {
        return None;
    }
    // Header rows repeated on every page must leave room for the rest.
    if lignes_entete == lignes.len() {
        lignes_entete = 0;
    }
    let grille =
        element.attribut("border").is_some_and(|b| b.trim() != "0") || element.a_classe("grille");
    Some(Tableau {
        lignes,
        lignes_entete,
        grille,
        largeur: largeur(element),
        retrait: heritage.retrait,
    })
}

#[cfg(test)]
mod tests {
    use super::super::html::lire;
    use super::*;

    fn textes(blocs: &[Bloc]) -> Vec<String> {
        blocs
            .iter()
            .map(|b| match b {
                Bloc::Paragraphe(p) => p.segments.iter().map(|s| s.texte.as_str()).collect(),
                Bloc::Image(_) => "[image]".to_owned(),
                Bloc::Tableau(t) => format!("[tableau {}x{}]", t.lignes.len(), t.lignes[0].len()),
                Bloc::Filet(_) => "[filet]".to_owned(),
                Bloc::SautDePage => "[saut]".to_owned(),
            })
            .collect()
    }

    #[test]
    fn blocks_inherit_style_alignment_and_indentation() {
        let document = lire(
            "<h1>Titre</h1><div class=\"droite\">Mont-Bonvillers<br>le 24 novembre</div>\
             <p style=\"text-align: justify\">Un <strong>gras <em>et italique</em></strong>.</p>\
             <ol start=\"3\"><li>trois<li>quatre</ol><hr><div style=\"page-break-before: always\">suite</div>\
             <table border=\"1\"><tr><th>Nom<th>Prénom<tr><td>Roussel<td>Inès</table>",
        );
        let blocs = blocs(&document.corps);
        assert_eq!(
            textes(&blocs),
            [
                "Titre",
                "Mont-Bonvillers\u{2028}le 24 novembre",
                "Un gras et italique.",
                "trois",
                "quatre",
                "[filet]",
                "[saut]",
                "suite",
                "[tableau 2x2]"
            ]
        );
        let Bloc::Paragraphe(titre) = &blocs[0] else {
            panic!()
        };
        assert!(titre.titre && titre.segments[0].style.gras && titre.taille > 15.0);
        let Bloc::Paragraphe(droite) = &blocs[1] else {
            panic!()
        };
        assert_eq!(droite.alignement, Alignement::Droite);
        let Bloc::Paragraphe(p) = &blocs[2] else {
            panic!()
        };
        assert_eq!(p.alignement, Alignement::Justifie);
        assert_eq!(
            p.segments
                .iter()
                .map(|s| (s.style.gras, s.style.italique))
                .collect::<Vec<_>>(),
            [(false, false), (true, false), (true, true), (false, false)]
        );
        let Bloc::Paragraphe(item) = &blocs[3] else {
            panic!()
        };
        assert_eq!(item.puce.as_deref(), Some("3."));
        assert!(item.retrait > 20.0);
        let Bloc::Tableau(tableau) = &blocs[8] else {
            panic!()
        };
        assert!(tableau.grille);
        assert_eq!(tableau.lignes_entete, 1);
    }

    #[test]
    fn lengths_in_css_units() {
        assert_eq!(longueur("72pt", 11.0), Some(72.0));
        assert_eq!(longueur("2.54cm", 11.0).map(f32::round), Some(72.0));
        assert_eq!(longueur("100", 11.0), Some(75.0));
        assert_eq!(longueur("2em", 11.0), Some(22.0));
        assert_eq!(longueur("auto", 11.0), None);
    }
}
