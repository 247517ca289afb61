//! Composition: blocks into bands of a given width — lines of text broken where they fill the
//! width, images scaled to fit, tables with their columns sized to their content.
//!
//! A band is what the pagination never cuts: a line of text, an image, a table row, a rule.

use std::rc::Rc;

use krilla::image::Image;

use super::blocs::{
    Alignement, Bloc, Cellule, Illustration, Largeur, Paragraphe, Tableau, Vertical,
};
use super::polices::{Polices, Style};

/// Line height, as a multiple of the text size.
const INTERLIGNE: f32 = 1.35;
/// Forced line break, as [`super::blocs`] writes a `<br>`.
pub(super) const SAUT: char = '\u{2028}';

/// Something drawn, placed relative to the top-left corner of its band.
#[derive(Debug, Clone)]
pub(super) enum Trace {
    /// Text on a baseline.
    Texte {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// The characters.
        texte: String,
        /// Face.
        style: Style,
        /// Size, in points.
        taille: f32,
    },
    /// An image.
    Image {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        largeur: f32,
        /// Height.
        hauteur: f32,
        /// The image.
        image: Image,
    },
    /// A straight line.
    Trait {
        /// Start.
        de: (f32, f32),
        /// End.
        a: (f32, f32),
        /// Thickness.
        epaisseur: f32,
    },
}

impl Trace {
    /// The same trace moved by `(dx, dy)`.
    pub(super) fn decale(mut self, dx: f32, dy: f32) -> Self {
        match &mut self {
            Self::Texte { x, y, .. } | Self::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Self::Trait { de, a, .. } => {
                *de = (de.0 + dx, de.1 + dy);
                *a = (a.0 + dx, a.1 + dy);
            }
        }
        self
    }
}

/// An unbreakable strip of the page.
#[derive(Debug, Clone, Default)]
pub(super) struct Bande {
    /// Height, in points.
    pub(super) hauteur: f32,
    /// What it draws.
    pub(super) traces: Vec<Trace>,
    /// Space wanted above (collapsed with the space below the previous band).
    pub(super) marge_avant: f32,
    /// Space wanted below.
    pub(super) marge_apres: f32,
    /// Starts a new page.
    pub(super) saut_avant: bool,
    /// Must stay on the same page as the next band (a heading, a paragraph's first line).
    pub(super) avec_la_suivante: bool,
    /// Table header rows, repeated above this band when it starts a page.
    pub(super) entete: Option<Rc<[Bande]>>,
}

/// Composes `blocs` in `largeur` points.
pub(super) fn composer(
    polices: &Polices,
    blocs: &[Bloc],
    largeur: f32,
    hauteur_page: f32,
) -> Vec<Bande> {
    let mut bandes = Vec::new();
    let mut saut = false;
    for bloc in blocs {
        let debut = bandes.len();
        match bloc {
            Bloc::SautDePage => {
                saut = true;
                continue;
            }
            Bloc::Paragraphe(p) => bandes.extend(paragraphe(polices, p, largeur)),
            Bloc::Image(i) => bandes.push(illustration(i, largeur, hauteur_page)),
            Bloc::Tableau(t) => bandes.extend(tableau(polices, t, largeur, hauteur_page)),
            Bloc::Filet(retrait) => bandes.push(Bande {
                hauteur: 1.0,
                traces: vec![Trace::Trait {
                    de: (*retrait, 0.5),
                    a: (largeur, 0.5),
                    epaisseur: 0.6,
                }],
                marge_avant: 6.0,
                marge_apres: 6.0,
                ..Bande::default()
            }),
        }
        if saut && let Some(premiere) = bandes.get_mut(debut) {
            premiere.saut_avant = true;
            saut = false;
        }
    }
    bandes
}

/// A piece of a word in one face.
#[derive(Debug, Clone)]
struct Morceau {
    texte: String,
    style: Style,
}

/// A word: what a line never breaks, unless it is wider than the line.
#[derive(Debug, Clone, Default)]
struct Mot {
    morceaux: Vec<Morceau>,
    /// Followed by a space, in this face.
    espace: Option<Style>,
    /// Followed by a forced line break.
    saut: bool,
}

impl Mot {
    fn pousser(&mut self, c: char, style: Style) {
        match self.morceaux.last_mut() {
            Some(m) if m.style == style => m.texte.push(c),
            _ => self.morceaux.push(Morceau {
                texte: c.to_string(),
                style,
            }),
        }
    }

    fn largeur(&self, polices: &Polices, taille: f32) -> f32 {
        self.morceaux
            .iter()
            .map(|m| polices.face(m.style).largeur(&m.texte, taille))
            .sum()
    }

    fn est_vide(&self) -> bool {
        self.morceaux.is_empty()
    }
}

/// The words of a paragraph, whitespace collapsed as HTML does.
fn mots(p: &Paragraphe) -> Vec<Mot> {
    let mut mots: Vec<Mot> = Vec::new();
    let mut courant = Mot::default();
    for segment in &p.segments {
        for c in segment.texte.chars() {
            match c {
                ' ' | '\t' | '\n' | '\r' | '\x0c' => {
                    if !courant.est_vide() {
                        courant.espace = Some(segment.style);
                        mots.push(std::mem::take(&mut courant));
                    } else if let Some(dernier) = mots.last_mut()
                        && !dernier.saut
                        && dernier.espace.is_none()
                    {
                        dernier.espace = Some(segment.style);
                    }
                }
                SAUT => {
                    courant.saut = true;
                    mots.push(std::mem::take(&mut courant));
                }
                '\u{200b}' => {
                    if !courant.est_vide() {
                        mots.push(std::mem::take(&mut courant));
                    }
                }
                '\u{ad}' => {}
                c if c.is_control() => {}
                c => courant.pousser(c, segment.style),
            }
        }
    }
    if !courant.est_vide() {
        mots.push(courant);
    }
    // A break at the very end draws nothing, as in a browser.
    if let Some(dernier) = mots.last_mut()
        && dernier.est_vide()
        && dernier.saut
        && mots.len() > 1
    {
        mots.pop();
    }
    mots
}

/// Cuts a word wider than `largeur` into pieces that fit.
fn couper(polices: &Polices, mot: Mot, largeur: f32, taille: f32) -> Vec<Mot> {
    let mut pieces = Vec::new();
    let mut courant = Mot::default();
    let mut occupe = 0.0;
    for morceau in &mot.morceaux {
        let face = polices.face(morceau.style);
        for c in morceau.texte.chars() {
            let l = face.largeur(c.encode_utf8(&mut [0; 4]), taille);
            if occupe + l > largeur && !courant.est_vide() {
                pieces.push(std::mem::take(&mut courant));
                occupe = 0.0;
            }
            courant.pousser(c, morceau.style);
            occupe += l;
        }
    }
    courant.espace = mot.espace;
    courant.saut = mot.saut;
    pieces.push(courant);
    pieces
}

/// A line: its words, whether it ends the paragraph or a forced break (it is not justified),
/// and whether it ends the paragraph.
struct Ligne {
    mots: Vec<Mot>,
    derniere: bool,
    finale: bool,
}

fn lignes(polices: &Polices, p: &Paragraphe, largeur: f32) -> Vec<Ligne> {
    let mut lignes = Vec::new();
    let mut courante: Vec<Mot> = Vec::new();
    let mut occupe = 0.0;
    let espace = |style: Style| polices.face(style).largeur(" ", p.taille);
    for mot in mots(p) {
        let l = mot.largeur(polices, p.taille);
        let avant = courante.last().and_then(|m| m.espace).map_or(0.0, espace);
        let morceaux = if l > largeur {
            couper(polices, mot, largeur, p.taille)
        } else {
            vec![mot]
        };
        for mot in morceaux {
            let l = mot.largeur(polices, p.taille);
            if !courante.is_empty() && occupe + avant + l > largeur + 0.01 {
                lignes.push(Ligne {
                    mots: std::mem::take(&mut courante),
                    derniere: false,
                    finale: false,
                });
                occupe = 0.0;
            } else if !courante.is_empty() {
                occupe += avant;
            }
            occupe += l;
            let saut = mot.saut;
            courante.push(mot);
            if saut {
                lignes.push(Ligne {
                    mots: std::mem::take(&mut courante),
                    derniere: true,
                    finale: false,
                });
                occupe = 0.0;
            }
        }
    }
    if !courante.is_empty() {
        lignes.push(Ligne {
            mots: courante,
            derniere: true,
            finale: false,
        });
    }
    if let Some(derniere) = lignes.last_mut() {
        derniere.finale = true;
    }
    lignes
}

/// The traces of one line at `x`, baseline `y`, with `supplement` points added to each space
/// (justification).
fn tracer_ligne(
    polices: &Polices,
    ligne: &Ligne,
    taille: f32,
    x: f32,
    y: f32,
    supplement: f32,
) -> Vec<Trace> {
    let mut traces: Vec<Trace> = Vec::new();
    let mut curseur = x;
    let mut nouveau_depart = true;
    let nombre = ligne.mots.len();
    for (rang, mot) in ligne.mots.iter().enumerate() {
        let mut morceaux: Vec<Morceau> = mot.morceaux.clone();
        // The space stays in the text (copy, search), drawn where it falls. A line that does
        // not end the paragraph ends with one too, even after a `<br>`, so that the words on
        // either side stay apart when the text is extracted (it is not counted in the line's
        // width, and shows nothing).
        let fin_de_ligne = rang + 1 == nombre;
        let espace = match (fin_de_ligne, mot.espace) {
            (false, espace) => espace,
            (true, _) if ligne.finale => None,
            // Ended by a `<br>`.
            (true, espace) if ligne.derniere => {
                espace.or_else(|| mot.morceaux.last().map(|m| m.style))
            }
            // Broken at a space (a word cut in pieces has none).
            (true, espace) => espace,
        };
        if let Some(style) = espace {
            match morceaux.last_mut() {
                Some(m) if m.style == style => m.texte.push(' '),
                _ => morceaux.push(Morceau {
                    texte: " ".to_owned(),
                    style,
                }),
            }
        }
        for morceau in morceaux {
            let largeur = polices.face(morceau.style).largeur(&morceau.texte, taille);
            let fusion = !nouveau_depart
                && matches!(traces.last(), Some(Trace::Texte { style, .. }) if *style == morceau.style);
            if fusion && let Some(Trace::Texte { texte, .. }) = traces.last_mut() {
                texte.push_str(&morceau.texte);
            } else {
                traces.push(Trace::Texte {
                    x: curseur,
                    y,
                    texte: morceau.texte,
                    style: morceau.style,
                    taille,
                });
            }
            nouveau_depart = false;
            curseur += largeur;
        }
        if supplement > 0.0 && mot.espace.is_some() {
            curseur += supplement;
            nouveau_depart = true;
        }
    }
    traces
}

fn largeur_ligne(polices: &Polices, ligne: &Ligne, taille: f32) -> (f32, usize) {
    let mut largeur = 0.0;
    let mut espaces = 0;
    let nombre = ligne.mots.len();
    for (rang, mot) in ligne.mots.iter().enumerate() {
        largeur += mot.largeur(polices, taille);
        if rang + 1 < nombre
            && let Some(style) = mot.espace
        {
            largeur += polices.face(style).largeur(" ", taille);
            espaces += 1;
        }
    }
    (largeur, espaces)
}

/// The bands of a paragraph: one per line.
fn paragraphe(polices: &Polices, p: &Paragraphe, largeur: f32) -> Vec<Bande> {
    let disponible = (largeur - p.retrait).max(20.0);
    let lignes = lignes(polices, p, disponible);
    let face = polices.face(Style::default());
    let hauteur = p.taille * INTERLIGNE;
    let ligne_de_base = (hauteur - (face.ascendante + face.descendante) * p.taille) / 2.0
        + face.ascendante * p.taille;
    let nombre = lignes.len();
    let mut bandes = Vec::with_capacity(nombre);
    for (rang, ligne) in lignes.iter().enumerate() {
        let (naturelle, espaces) = largeur_ligne(polices, ligne, p.taille);
        let libre = (disponible - naturelle).max(0.0);
        let (decalage, supplement) = match p.alignement {
            Alignement::Gauche => (0.0, 0.0),
            Alignement::Centre => (libre / 2.0, 0.0),
            Alignement::Droite => (libre, 0.0),
            Alignement::Justifie if !ligne.derniere && espaces > 0 => (0.0, libre / espaces as f32),
            Alignement::Justifie => (0.0, 0.0),
        };
        let mut traces = tracer_ligne(
            polices,
            ligne,
            p.taille,
            p.retrait + decalage,
            ligne_de_base,
            supplement,
        );
        if rang == 0
            && let Some(puce) = &p.puce
        {
            let style =
                ligne
                    .mots
                    .first()
                    .and_then(|m| m.morceaux.first())
                    .map_or(Style::default(), |m| Style {
                        gras: m.style.gras,
                        italique: false,
                    });
            let l = polices.face(style).largeur(puce, p.taille);
            traces.insert(
                0,
                Trace::Texte {
                    x: (p.retrait - l - 6.0).max(0.0),
                    y: ligne_de_base,
                    texte: format!("{puce} "),
                    style,
                    taille: p.taille,
                },
            );
        }
        bandes.push(Bande {
            hauteur,
            traces,
            marge_avant: if rang == 0 { p.marge_avant } else { 0.0 },
            marge_apres: if rang + 1 == nombre {
                p.marge_apres
            } else {
                0.0
            },
            // A heading stays with what follows; a paragraph's first line with its second.
            avec_la_suivante: p.titre || (rang == 0 && nombre > 1),
            ..Bande::default()
        });
    }
    bandes
}

fn illustration(i: &Illustration, largeur: f32, hauteur_page: f32) -> Bande {
    let disponible = (largeur - i.retrait).max(1.0);
    let echelle = (disponible / i.largeur)
        .min(hauteur_page * 0.9 / i.hauteur)
        .min(1.0);
    let (l, h) = (i.largeur * echelle, i.hauteur * echelle);
    let x = i.retrait
        + match i.alignement {
            Alignement::Centre => (disponible - l) / 2.0,
            Alignement::Droite => disponible - l,
            _ => 0.0,
        };
    Bande {
        hauteur: h,
        traces: vec![Trace::Image {
            x,
            y: 0.0,
            largeur: l,
            hauteur: h,
            image: i.image.clone(),
        }],
        marge_avant: 3.0,
        marge_apres: 3.0,
        ..Bande::default()
    }
}

/// Narrowest and widest useful widths of some blocks: the longest word, the longest line.
fn mesurer(polices: &Polices, blocs: &[Bloc]) -> (f32, f32) {
    let mut minimum: f32 = 0.0;
    let mut maximum: f32 = 0.0;
    for bloc in blocs {
        let (min, max) = match bloc {
            Bloc::Paragraphe(p) => {
                let mut min: f32 = 0.0;
                let mut max: f32 = 0.0;
                let mut ligne: f32 = 0.0;
                for mot in mots(p) {
                    let l = mot.largeur(polices, p.taille);
                    min = min.max(l);
                    ligne += l;
                    if mot.saut {
                        max = max.max(ligne);
                        ligne = 0.0;
                    } else if let Some(style) = mot.espace {
                        ligne += polices.face(style).largeur(" ", p.taille);
                    }
                }
                max = max.max(ligne);
                (min + p.retrait, max + p.retrait)
            }
            Bloc::Image(i) => (i.largeur.min(40.0) + i.retrait, i.largeur + i.retrait),
            Bloc::Tableau(t) => {
                let (mut min, mut max) = (0.0, 0.0);
                for ligne in &t.lignes {
                    let (mut lmin, mut lmax) = (0.0, 0.0);
                    for cellule in ligne {
                        let (a, b) = mesurer(polices, &cellule.blocs);
                        lmin += a + 2.0 * MARGE_CELLULE;
                        lmax += b + 2.0 * MARGE_CELLULE;
                    }
                    min = f32::max(min, lmin);
                    max = f32::max(max, lmax);
                }
                (min + t.retrait, max + t.retrait)
            }
            Bloc::Filet(_) | Bloc::SautDePage => (0.0, 0.0),
        };
        minimum = minimum.max(min);
        maximum = maximum.max(max);
    }
    (minimum, maximum)
}

/// Horizontal padding inside a cell, each side.
const MARGE_CELLULE: f32 = 4.0;

/// Widths of the columns of `t` in `largeur` points (the table's own width rules applied).
fn largeurs_colonnes(polices: &Polices, t: &Tableau, largeur: f32) -> Vec<f32> {
    let colonnes = t
        .lignes
        .iter()
        .map(|l| l.iter().map(|c| c.colonnes).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let mut minimum = vec![2.0 * MARGE_CELLULE + 6.0; colonnes];
    let mut maximum = minimum.clone();
    for ligne in &t.lignes {
        let mut colonne = 0;
        for cellule in ligne {
            if cellule.colonnes == 1 && colonne < colonnes {
                let (min, max) = mesurer(polices, &cellule.blocs);
                minimum[colonne] = minimum[colonne].max(min + 2.0 * MARGE_CELLULE);
                maximum[colonne] = maximum[colonne].max(max + 2.0 * MARGE_CELLULE);
            }
            colonne += cellule.colonnes;
        }
    }
    let somme_max: f32 = maximum.iter().sum();
    let somme_min: f32 = minimum.iter().sum();
    let cible = match t.largeur {
        Some(Largeur::Part(part)) => largeur * part,
        Some(Largeur::Points(points)) => points.min(largeur),
        None => somme_max.min(largeur),
    };
    if somme_max <= cible {
        // Room to spare: every column gets its widest line, the rest shared in proportion.
        let reste = cible - somme_max;
        maximum
            .iter()
            .map(|m| m + reste * m / somme_max.max(1.0))
            .collect()
    } else if somme_min >= cible {
        minimum
            .iter()
            .map(|m| m * cible / somme_min.max(1.0))
            .collect()
    } else {
        // Each column gets its longest word, and a share of the rest as wide as it would like.
        let souhaits: f32 = maximum.iter().zip(&minimum).map(|(a, b)| a - b).sum();
        let reste = cible - somme_min;
        maximum
            .iter()
            .zip(&minimum)
            .map(|(a, b)| b + reste * (a - b) / souhaits.max(1.0))
            .collect()
    }
}

/// The content of a cell composed in `largeur`: its height and traces.
fn boite(polices: &Polices, blocs: &[Bloc], largeur: f32, hauteur_page: f32) -> (f32, Vec<Trace>) {
    let mut y = 0.0;
    let mut traces = Vec::new();
    let mut marge_precedente: Option<f32> = None;
    for bande in composer(polices, blocs, largeur, hauteur_page) {
        if let Some(apres) = marge_precedente {
            y += apres.max(bande.marge_avant);
        }
        traces.extend(bande.traces.into_iter().map(|t| t.decale(0.0, y)));
        y += bande.hauteur;
        marge_precedente = Some(bande.marge_apres);
    }
    (y, traces)
}

fn tableau(polices: &Polices, t: &Tableau, largeur: f32, hauteur_page: f32) -> Vec<Bande> {
    let disponible = (largeur - t.retrait).max(20.0);
    let largeurs = largeurs_colonnes(polices, t, disponible);
    let marge_verticale = if t.grille { 3.0 } else { 2.0 };
    let mut bandes = Vec::with_capacity(t.lignes.len());
    for ligne in &t.lignes {
        let mut colonne = 0;
        let mut x = t.retrait;
        let mut cellules: Vec<(f32, f32, f32, Vec<Trace>, &Cellule)> = Vec::new();
        for cellule in ligne {
            let fin = (colonne + cellule.colonnes).min(largeurs.len());
            let l: f32 = largeurs[colonne.min(fin)..fin].iter().sum();
            let (h, traces) = boite(
                polices,
                &cellule.blocs,
                (l - 2.0 * MARGE_CELLULE).max(1.0),
                hauteur_page,
            );
            cellules.push((x, l, h, traces, cellule));
            x += l;
            colonne = fin;
        }
        let hauteur = cellules
            .iter()
            .map(|(_, _, h, _, _)| *h)
            .fold(0.0, f32::max)
            + 2.0 * marge_verticale;
        let mut traces = Vec::new();
        for (x, l, h, contenu, cellule) in cellules {
            let libre = hauteur - 2.0 * marge_verticale - h;
            let dy = marge_verticale
                + match cellule.vertical {
                    Vertical::Haut => 0.0,
                    Vertical::Milieu => libre / 2.0,
                    Vertical::Bas => libre,
                };
            traces.extend(contenu.into_iter().map(|t| t.decale(x + MARGE_CELLULE, dy)));
            if t.grille {
                let trait_ = |de, a| Trace::Trait {
                    de,
                    a,
                    epaisseur: 0.5,
                };
                traces.push(trait_((x, 0.0), (x + l, 0.0)));
                traces.push(trait_((x, hauteur), (x + l, hauteur)));
                traces.push(trait_((x, 0.0), (x, hauteur)));
                traces.push(trait_((x + l, 0.0), (x + l, hauteur)));
            }
        }
        bandes.push(Bande {
            hauteur,
            traces,
            ..Bande::default()
        });
    }
    if t.lignes_entete > 0 && t.lignes_entete < bandes.len() {
        for entete in &mut bandes[..t.lignes_entete] {
            entete.avec_la_suivante = true;
        }
        let entete: Rc<[Bande]> = bandes[..t.lignes_entete].to_vec().into();
        for bande in &mut bandes[t.lignes_entete..] {
            bande.entete = Some(Rc::clone(&entete));
        }
    }
    if let Some(premiere) = bandes.first_mut() {
        premiere.marge_avant = 6.0;
    }
    if let Some(derniere) = bandes.last_mut() {
        derniere.marge_apres = 6.0;
    }
    bandes
}

#[cfg(test)]
mod tests {
    use super::super::{blocs, html, polices};
    use super::*;

    fn composer_html(source: &str, largeur: f32) -> Vec<Bande> {
        let polices = polices::polices().expect("fonts");
        let document = html::lire(source);
        composer(polices, &blocs::blocs(&document.corps), largeur, 700.0)
    }

    fn texte(bande: &Bande) -> String {
        bande
            .traces
            .iter()
            .filter_map(|t| match t {
                Trace::Texte { texte, .. } => Some(texte.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lines_break_where_they_fill_the_width() {
        let bandes = composer_html(
            "<p>Le  maire\n de   Mont-Bonvillers atteste que l'électrice est inscrite sur la liste électorale.</p>",
            150.0,
        );
        assert!(bandes.len() >= 3, "{} lignes", bandes.len());
        let lignes: Vec<String> = bandes.iter().map(texte).collect();
        // Each line broken at a space keeps it at its end, for the extracted text.
        assert_eq!(
            lignes.concat(),
            "Le maire de Mont-Bonvillers atteste que l'électrice est inscrite sur la liste électorale."
        );
        for (rang, ligne) in lignes.iter().enumerate() {
            let derniere = rang + 1 == lignes.len();
            assert!(
                !ligne.starts_with(' ') && ligne.ends_with(' ') != derniere,
                "« {ligne} »"
            );
        }
        assert!(bandes[0].avec_la_suivante && !bandes[1].avec_la_suivante);
        assert!(bandes[0].marge_avant > 0.0 && bandes.last().is_some_and(|b| b.marge_apres > 0.0));
    }

    #[test]
    fn forced_breaks_alignment_and_long_words() {
        let bandes = composer_html(
            "<p class=\"droite\">Mont-Bonvillers,<br>le 24 novembre 2026</p><p>Anticonstitutionnellementinscrit</p>",
            150.0,
        );
        // The line broken by `<br>` keeps a space at its end, for the extracted text.
        assert_eq!(texte(&bandes[0]), "Mont-Bonvillers, ");
        assert_eq!(texte(&bandes[1]), "le 24 novembre 2026");
        let Trace::Texte { x, .. } = &bandes[1].traces[0] else {
            panic!()
        };
        assert!(*x > 0.0, "aligned right");
        let coupe: String = bandes[2..].iter().map(texte).collect();
        assert_eq!(coupe, "Anticonstitutionnellementinscrit");
        assert!(bandes.len() >= 4);
    }

    #[test]
    fn tables_size_columns_to_their_content() {
        let bandes = composer_html(
            "<table border=\"1\"><thead><tr><th>Nom</th><th>Observation</th></tr></thead>\
             <tr><td>Roussel</td><td>Une observation assez longue pour être coupée sur plusieurs lignes.</td></tr></table>",
            300.0,
        );
        assert_eq!(bandes.len(), 2);
        assert!(bandes[0].avec_la_suivante);
        assert!(bandes[1].entete.is_some());
        assert!(bandes[1].hauteur > bandes[0].hauteur * 1.5);
        assert!(
            bandes[1]
                .traces
                .iter()
                .any(|t| matches!(t, Trace::Trait { .. }))
        );
    }
}
