//! A tolerant reader of the HTML that edition templates produce.
//!
//! It builds a small tree of elements and text, the way a browser would for the subset templates
//! use: unknown elements are kept (their text shows), a missing end tag is implied, a stray one
//! is ignored, `<p>`, `<li>`, `<tr>` and table cells close their predecessor. Comments, the
//! document type, `<script>` and `<style>` are dropped; the `<title>` is kept apart.

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Noeud {
    /// An element, its attributes and its children.
    Element(Element),
    /// Text, entities decoded, whitespace as written.
    Texte(String),
}

/// An element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Element {
    /// Lower-case name.
    pub(super) nom: String,
    /// Attributes, names in lower case, values decoded.
    pub(super) attributs: Vec<(String, String)>,
    /// Children, in order.
    pub(super) enfants: Vec<Noeud>,
}

impl Element {
    /// The value of an attribute.
    pub(super) fn attribut(&self, nom: &str) -> Option<&str> {
        self.attributs
            .iter()
            .find(|(n, _)| n == nom)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the `class` attribute lists `classe`.
    pub(super) fn a_classe(&self, classe: &str) -> bool {
        self.attribut("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == classe))
    }

    /// The value of one declaration of the `style` attribute (`text-align`…), trimmed and in
    /// lower case.
    pub(super) fn style(&self, propriete: &str) -> Option<String> {
        self.attribut("style")?.split(';').find_map(|declaration| {
            let (nom, valeur) = declaration.split_once(':')?;
            (nom.trim().eq_ignore_ascii_case(propriete)).then(|| valeur.trim().to_ascii_lowercase())
        })
    }
}

/// A document read.
#[derive(Debug, Clone, Default)]
pub(super) struct Document {
    /// The `<title>`, if any.
    pub(super) titre: Option<String>,
    /// The content of `<body>` (or of the whole document when it has none).
    pub(super) corps: Vec<Noeud>,
}

/// Deepest nesting of elements kept; beyond, tags are ignored and their text joins the
/// deepest element (the layout recurses once per level).
const PROFONDEUR_MAX: usize = 100;

/// Elements that have no content nor end tag.
const VIDES: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base", "source",
];

/// Elements whose start closes an open `<p>`.
const FERMENT_P: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "hr",
    "blockquote",
    "section",
    "header",
    "footer",
    "address",
    "article",
];

/// Reads `source`.
pub(super) fn lire(source: &str) -> Document {
    let mut lecteur = Lecteur {
        reste: source,
        pile: vec![Element::default()],
        titre: None,
    };
    lecteur.lire();
    let mut racine = lecteur.fermer_tout();
    let corps = extraire_corps(&mut racine.enfants).unwrap_or(racine.enfants);
    Document {
        titre: lecteur.titre,
        corps,
    }
}

/// The children of `<body>`, wherever it is, after dropping `<head>`.
fn extraire_corps(noeuds: &mut Vec<Noeud>) -> Option<Vec<Noeud>> {
    noeuds.retain(|n| !matches!(n, Noeud::Element(e) if e.nom == "head"));
    for noeud in noeuds.iter_mut() {
        if let Noeud::Element(e) = noeud {
            if e.nom == "body" {
                return Some(std::mem::take(&mut e.enfants));
            }
            if e.nom == "html" {
                return Some(
                    extraire_corps(&mut e.enfants).unwrap_or(std::mem::take(&mut e.enfants)),
                );
            }
        }
    }
    None
}

struct Lecteur<'a> {
    reste: &'a str,
    pile: Vec<Element>,
    titre: Option<String>,
}

impl Lecteur<'_> {
    fn lire(&mut self) {
        while !self.reste.is_empty() {
            let Some(position) = self.reste.find('<') else {
                let texte = self.reste;
                self.texte(texte);
                break;
            };
            let (texte, suite) = self.reste.split_at(position);
            self.texte(texte);
            self.reste = suite;
            if let Some(apres) = self.reste.strip_prefix("<!--") {
                self.reste = apres.find("-->").map_or("", |fin| &apres[fin + 3..]);
            } else if self.reste.starts_with("<!") || self.reste.starts_with("<?") {
                self.reste = self
                    .reste
                    .find('>')
                    .map_or("", |fin| &self.reste[fin + 1..]);
            } else if let Some(apres) = self.reste.strip_prefix("</") {
                let fin = apres.find('>').unwrap_or(apres.len());
                let nom = apres[..fin].trim().to_ascii_lowercase();
                self.reste = apres.get(fin + 1..).unwrap_or("");
                self.fermer(&nom);
            } else if self.reste[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.balise_ouvrante();
            } else {
                // A lone `<` is text.
                self.texte("<");
                self.reste = &self.reste[1..];
            }
        }
    }

    fn texte(&mut self, brut: &str) {
        if brut.is_empty() {
            return;
        }
        let texte = decoder(brut);
        let parent = self.courant();
        if let Some(Noeud::Texte(precedent)) = parent.enfants.last_mut() {
            precedent.push_str(&texte);
        } else {
            parent.enfants.push(Noeud::Texte(texte));
        }
    }

    fn courant(&mut self) -> &mut Element {
        // The root is never popped.
        let dernier = self.pile.len() - 1;
        &mut self.pile[dernier]
    }

    fn balise_ouvrante(&mut self) {
        let (element, auto_fermee, suite) = lire_balise(&self.reste[1..]);
        self.reste = suite;
        let nom = element.nom.clone();
        if nom == "script" || nom == "style" || nom == "title" || nom == "textarea" {
            let fermeture = format!("</{nom}");
            let fin = trouver_sans_casse(self.reste, &fermeture).unwrap_or(self.reste.len());
            let contenu = &self.reste[..fin];
            if nom == "title" && self.titre.is_none() {
                let titre = decoder(contenu)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                self.titre = Some(titre).filter(|t| !t.is_empty());
            }
            let apres = &self.reste[fin..];
            self.reste = apres.find('>').map_or("", |f| &apres[f + 1..]);
            return;
        }
        self.fermetures_implicites(&nom);
        if self.pile.len() > PROFONDEUR_MAX {
            // Deeper than any document needs: the element is dropped, its content kept.
            return;
        }
        if auto_fermee || VIDES.contains(&nom.as_str()) {
            self.courant().enfants.push(Noeud::Element(element));
        } else {
            self.pile.push(element);
        }
    }

    /// Closes what the start of `nom` implies: an open paragraph before a block, the previous
    /// item, row or cell.
    fn fermetures_implicites(&mut self, nom: &str) {
        let (cible, barrieres): (&[&str], &[&str]) = match nom {
            n if FERMENT_P.contains(&n) => (&["p"], &["div", "td", "th", "li", "table", "body"]),
            "li" => (&["li"], &["ul", "ol", "table"]),
            "tr" => (&["tr"], &["table"]),
            "td" | "th" => (&["td", "th"], &["tr", "table"]),
            "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot"], &["table"]),
            _ => return,
        };
        let ouvert = self
            .pile
            .iter()
            .rposition(|e| cible.contains(&e.nom.as_str()) || barrieres.contains(&e.nom.as_str()));
        if let Some(position) = ouvert
            && cible.contains(&self.pile[position].nom.as_str())
        {
            self.depiler_jusqua(position);
        }
    }

    fn fermer(&mut self, nom: &str) {
        if let Some(position) = self.pile.iter().rposition(|e| e.nom == nom)
            && position > 0
        {
            self.depiler_jusqua(position);
        }
        // A stray end tag is ignored, as browsers do (`</br>` aside, which they read as `<br>`).
        else if nom == "br" {
            self.courant().enfants.push(Noeud::Element(Element {
                nom: "br".to_owned(),
                ..Element::default()
            }));
        }
    }

    /// Pops every element down to `position` included, each into its parent.
    fn depiler_jusqua(&mut self, position: usize) {
        while self.pile.len() > position {
            let Some(element) = self.pile.pop() else {
                break;
            };
            self.courant().enfants.push(Noeud::Element(element));
        }
    }

    fn fermer_tout(&mut self) -> Element {
        self.depiler_jusqua(1);
        self.pile.pop().unwrap_or_default()
    }
}

/// Where the lower-case ASCII `motif` first occurs in `texte`, whatever its case; linear in the
/// length of the text (nothing is copied).
fn trouver_sans_casse(texte: &str, motif: &str) -> Option<usize> {
    let (octets, motif) = (texte.as_bytes(), motif.as_bytes());
    if motif.is_empty() || octets.len() < motif.len() {
        return None;
    }
    (0..=octets.len() - motif.len())
        .find(|&i| octets[i..i + motif.len()].eq_ignore_ascii_case(motif))
}

/// Reads a start tag after its `<`: the element, whether it ends with `/>`, and what follows.
fn lire_balise(texte: &str) -> (Element, bool, &str) {
    let fin_nom = texte
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(texte.len());
    let mut element = Element {
        nom: texte[..fin_nom].to_ascii_lowercase(),
        ..Element::default()
    };
    let mut reste = &texte[fin_nom..];
    loop {
        reste = reste.trim_start();
        if let Some(apres) = reste.strip_prefix("/>") {
            return (element, true, apres);
        }
        if let Some(apres) = reste.strip_prefix('>') {
            return (element, false, apres);
        }
        if reste.is_empty() {
            return (element, false, reste);
        }
        if let Some(apres) = reste.strip_prefix('/') {
            reste = apres;
            continue;
        }
        let fin = reste
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(reste.len())
            .max(1);
        let nom = reste[..fin].to_ascii_lowercase();
        reste = reste[fin..].trim_start();
        let valeur = if let Some(apres) = reste.strip_prefix('=') {
            let apres = apres.trim_start();
            let (valeur, suite) = match apres.chars().next() {
                Some(guillemet @ ('"' | '\'')) => {
                    let corps = &apres[1..];
                    let fin = corps.find(guillemet).unwrap_or(corps.len());
                    (&corps[..fin], corps.get(fin + 1..).unwrap_or(""))
                }
                _ => {
                    let fin = apres
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(apres.len());
                    (&apres[..fin], &apres[fin..])
                }
            };
            reste = suite;
            decoder(valeur)
        } else {
            String::new()
        };
        element.attributs.push((nom, valeur));
    }
}

/// Decodes character references: numeric ones, and the named ones French text uses.
pub(super) fn decoder(texte: &str) -> String {
    if !texte.contains('&') {
        return texte.to_owned();
    }
    let mut sortie = String::with_capacity(texte.len());
    let mut reste = texte;
    while let Some(position) = reste.find('&') {
        sortie.push_str(&reste[..position]);
        reste = &reste[position..];
        let fin = reste[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(reste.len(), |f| f + 1);
        let nom = &reste[1..fin];
        let termine = reste[fin..].starts_with(';');
        match entite(nom) {
            Some(c) => {
                sortie.push(c);
                reste = &reste[fin + usize::from(termine)..];
            }
            None => {
                sortie.push('&');
                reste = &reste[1..];
            }
        }
    }
    sortie.push_str(reste);
    sortie
}

fn entite(nom: &str) -> Option<char> {
    if let Some(nombre) = nom.strip_prefix('#') {
        let code = match nombre.strip_prefix(['x', 'X']) {
            Some(hexa) => u32::from_str_radix(hexa, 16).ok()?,
            None => nombre.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match nom {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "thinsp" => '\u{2009}',
        "shy" => '\u{ad}',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "euro" => '€',
        "copy" => '©',
        "sect" => '§',
        "ordm" => 'º',
        "ordf" => 'ª',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        "oelig" => 'œ',
        "aelig" => 'æ',
        "Agrave" => 'À',
        "Acirc" => 'Â',
        "Ccedil" => 'Ç',
        "Eacute" => 'É',
        "Egrave" => 'È',
        "Ecirc" => 'Ê',
        "Icirc" => 'Î',
        "Ocirc" => 'Ô',
        "Ucirc" => 'Û',
        "OElig" => 'Œ',
        "AElig" => 'Æ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texte_de(noeuds: &[Noeud]) -> String {
        noeuds
            .iter()
            .map(|n| match n {
                Noeud::Texte(t) => t.clone(),
                Noeud::Element(e) => format!("[{}:{}]", e.nom, texte_de(&e.enfants)),
            })
            .collect()
    }

    #[test]
    fn reads_the_subset_templates_use() {
        let document = lire(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Attestation\n d'inscription</title>\
             <style>p { color: red }</style></head><body><h1>Titre</h1><!-- note --><p>Un <strong>gras</strong>\
             <br/>suite<p>Deux &laquo;&nbsp;cit&eacute;&nbsp;&raquo; &#x27;&#39;&amp;<ul><li>a<li>b</ul>\
             <script>alert(1)</script></body></html>",
        );
        assert_eq!(document.titre.as_deref(), Some("Attestation d'inscription"));
        assert_eq!(
            texte_de(&document.corps),
            "[h1:Titre][p:Un [strong:gras][br:]suite][p:Deux «\u{a0}cité\u{a0}» ''&][ul:[li:a][li:b]]"
        );
    }

    #[test]
    fn attributes_tables_and_stray_tags() {
        let document = lire(
            "<table border=1 class='grille large'><tr><th>A<td>B</tr><tr><td colspan=\"2\">C</table></em><img src=\"data:image/png;base64,AAA&#x2f;\" width=\"120\">x < y",
        );
        let Noeud::Element(table) = &document.corps[0] else {
            panic!("a table")
        };
        assert_eq!(table.attribut("border"), Some("1"));
        assert!(table.a_classe("large") && !table.a_classe("grill"));
        assert_eq!(
            texte_de(&document.corps[..1]),
            "[table:[tr:[th:A][td:B]][tr:[td:C]]]"
        );
        let Noeud::Element(image) = &document.corps[1] else {
            panic!("an image")
        };
        assert_eq!(image.attribut("src"), Some("data:image/png;base64,AAA/"));
        assert_eq!(document.corps[2], Noeud::Texte("x < y".to_owned()));
    }

    #[test]
    fn nesting_is_bounded() {
        let source = "<div>".repeat(100_000) + "fond" + &"</div>".repeat(100_000);
        let document = lire(&source);
        let mut profondeur = 0;
        let mut noeuds = &document.corps;
        while let Some(Noeud::Element(e)) = noeuds.first() {
            profondeur += 1;
            noeuds = &e.enfants;
        }
        assert!(profondeur <= PROFONDEUR_MAX + 1, "{profondeur}");
        assert_eq!(noeuds.first(), Some(&Noeud::Texte("fond".to_owned())));
    }

    #[test]
    fn style_declarations() {
        let document = lire("<p style=\"margin: 0; Text-Align : Right\">x</p>");
        let Noeud::Element(p) = &document.corps[0] else {
            panic!("a paragraph")
        };
        assert_eq!(p.style("text-align").as_deref(), Some("right"));
        assert_eq!(p.style("color"), None);
    }
}
