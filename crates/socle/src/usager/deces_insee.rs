//! Reader of the INSEE deaths file (fichier des personnes décédées).
//!
//! INSEE publishes every death registered in France as fixed-width text, one death per line,
//! one file per year or month. The registry reads it to learn that a citizen has died.
//!
//! - [`lire_ligne`]: one line into a [`Deces`], or why it is refused ([`LigneInvalide`]).
//! - [`LecteurDeces`]: a whole file, streamed in constant memory, line numbers kept.
//!
//! # Layout
//!
//! Positions are in characters, 1-based, as INSEE documents them:
//!
//! | positions | field                                                                 |
//! |-----------|-----------------------------------------------------------------------|
//! | 1–80      | `NOM*PRÉNOMS/`, then padding                                          |
//! | 81        | sex: `1` male, `2` female                                             |
//! | 82–89     | birth date `AAAAMMJJ`, `00` for an unknown month or day               |
//! | 90–94     | birth place, COG code: a commune (`01004`, `2A004`) or `99xxx` abroad |
//! | 95–124    | birth commune, in clear                                               |
//! | 125–154   | birth country, in clear                                               |
//! | 155–162   | death date `AAAAMMJJ`, possibly partial (`20190000`)                  |
//! | 163–167   | death place, COG code                                                 |
//! | 168–176   | death act number, free text (`6`, `15/403`, `661B`)                   |
//!
//! # What the real files hold, and how it is read
//!
//! - Anything after position 176 is padding and ignored; a line whose trailing blanks were
//!   stripped is accepted as long as it reaches the death date (position 162): the fields
//!   after it are then blank or shortened.
//! - A place code that is blank, all zeros or not five letters and digits is unknown (`None`).
//!   Codes are kept as given: births in Corsica before 1976 carry the old `20xxx` codes, which
//!   INSEE did not recode into `2A`/`2B`.
//! - A blank or all-zero act number is unknown (`None`).
//! - Lines may end in CRLF, the file may start with a UTF-8 byte order mark, blank lines are
//!   skipped (their numbers still count). The files are ASCII in practice; accented letters,
//!   when present, count as one character each.

use std::io::BufRead;

use super::identite::{DateInvalide, DateNaissance, Sexe};

/// Characters of a line that carry data; the rest is padding.
const LARGEUR: usize = 176;

/// Characters a line needs: up to the death date, the last mandatory field.
const LARGEUR_MINIMALE: usize = 162;

/// COG code of France among the countries.
const COG_FRANCE: &str = "99100";

/// One death as INSEE publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deces {
    /// Surname as written, trimmed.
    pub nom: String,
    /// First names, space-separated, trimmed ("" if none).
    pub prenoms: String,
    /// Sex, `None` if the field is blank.
    pub sexe: Option<Sexe>,
    /// Birth date, possibly partial.
    pub date_naissance: DateNaissance,
    /// Birth place: the 5-character COG code as given (a commune, or `99xxx` for a country
    /// when born abroad), `None` if blank or unknown.
    pub lieu_naissance: Option<String>,
    /// Birth commune in clear, trimmed (town abroad for a birth abroad).
    pub commune_naissance: String,
    /// Birth country in clear, trimmed (usually blank for a birth in France).
    pub pays_naissance: String,
    /// Death date, possibly partial.
    pub date_deces: DateNaissance,
    /// Death place: the 5-character COG code as given, `None` if blank or unknown.
    pub lieu_deces: Option<String>,
    /// Death act number as written (`15/403`, `661B`), `None` if blank or `0`.
    pub numero_acte: Option<String>,
}

impl Deces {
    /// COG commune code of birth when born in France (None when born abroad i.e. code starts
    /// with "99", or unknown).
    #[must_use]
    pub fn commune_naissance_cog(&self) -> Option<&str> {
        self.lieu_naissance
            .as_deref()
            .filter(|code| !code.starts_with("99"))
    }

    /// COG country code of birth: the 99xxx code when born abroad, "99100" (France) when a
    /// commune code is given, None if unknown.
    #[must_use]
    pub fn pays_naissance_cog(&self) -> Option<&str> {
        self.lieu_naissance.as_deref().map(|code| {
            if code.starts_with("99") {
                code
            } else {
                COG_FRANCE
            }
        })
    }
}

/// Why a line was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LigneInvalide {
    /// The line stops before the end of the death date.
    #[error(
        "ligne trop courte : {0} caractères, il en faut au moins 162 (jusqu'à la date de décès)"
    )]
    TropCourte(usize),
    /// The bytes of the line are not UTF-8.
    #[error("ligne qui n'est pas du texte UTF-8")]
    Utf8,
    /// No `*` between surname and first names.
    #[error("pas d'astérisque entre le nom et les prénoms")]
    SansEtoile,
    /// Nothing before the `*`.
    #[error("nom de famille vide")]
    NomVide,
    /// Neither `1`, `2` nor blank.
    #[error("sexe « {0} » inconnu (1 ou 2 attendu)")]
    Sexe(String),
    /// The birth date field.
    #[error("date de naissance « {texte} » : {erreur}")]
    DateNaissance {
        /// The field as written.
        texte: String,
        /// What is wrong with it.
        erreur: DateInvalide,
    },
    /// The death date field.
    #[error("date de décès « {texte} » : {erreur}")]
    DateDeces {
        /// The field as written.
        texte: String,
        /// What is wrong with it.
        erreur: DateInvalide,
    },
}

/// Parses one line (a final CR or LF and a leading byte order mark are ignored).
///
/// # Errors
/// [`LigneInvalide`]: a line too short, a name field without `*` or without surname, an
/// unknown sex code, an invalid birth or death date.
pub fn lire_ligne(ligne: &str) -> Result<Deces, LigneInvalide> {
    let ligne = ligne.strip_prefix('\u{feff}').unwrap_or(ligne);
    let ligne = ligne.trim_end_matches(['\n', '\r']);
    let champs = Champs::new(ligne);
    if champs.caracteres < LARGEUR_MINIMALE {
        return Err(LigneInvalide::TropCourte(champs.caracteres));
    }

    let (nom, reste) = champs
        .champ(1, 80)
        .split_once('*')
        .ok_or(LigneInvalide::SansEtoile)?;
    let nom = nom.trim();
    if nom.is_empty() {
        return Err(LigneInvalide::NomVide);
    }
    let prenoms = reste.split_once('/').map_or(reste, |(prenoms, _)| prenoms);

    let sexe = match champs.champ(81, 81).trim() {
        "" => None,
        code => Some(Sexe::from_insee(code).ok_or_else(|| LigneInvalide::Sexe(code.to_owned()))?),
    };
    let texte = champs.champ(82, 89);
    let date_naissance =
        DateNaissance::from_insee(texte).map_err(|erreur| LigneInvalide::DateNaissance {
            texte: texte.to_owned(),
            erreur,
        })?;
    let texte = champs.champ(155, 162);
    let date_deces =
        DateNaissance::from_insee(texte).map_err(|erreur| LigneInvalide::DateDeces {
            texte: texte.to_owned(),
            erreur,
        })?;

    Ok(Deces {
        nom: nom.to_owned(),
        prenoms: prenoms.trim().to_owned(),
        sexe,
        date_naissance,
        lieu_naissance: code_lieu(champs.champ(90, 94)),
        commune_naissance: champs.champ(95, 124).trim().to_owned(),
        pays_naissance: champs.champ(125, 154).trim().to_owned(),
        date_deces,
        lieu_deces: code_lieu(champs.champ(163, 167)),
        numero_acte: connu(champs.champ(168, 176)).map(str::to_owned),
    })
}

/// A place code, if it looks like one.
fn code_lieu(champ: &str) -> Option<String> {
    connu(champ)
        .filter(|code| code.len() == 5 && code.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(str::to_owned)
}

/// The trimmed field, unless blank or all zeros.
fn connu(champ: &str) -> Option<&str> {
    let champ = champ.trim();
    (!champ.bytes().all(|b| b == b'0')).then_some(champ)
}

/// The fixed-width fields of one line, located by character.
struct Champs<'a> {
    ligne: &'a str,
    /// Byte offset of each character position 0..=caracteres.
    bornes: [usize; LARGEUR + 1],
    /// Characters of the line, counted up to [`LARGEUR`].
    caracteres: usize,
}

impl<'a> Champs<'a> {
    fn new(ligne: &'a str) -> Self {
        let mut bornes = [0; LARGEUR + 1];
        if ligne.is_ascii() {
            // The usual case: one byte per character.
            let caracteres = ligne.len().min(LARGEUR);
            for (i, borne) in bornes.iter_mut().enumerate().take(caracteres + 1) {
                *borne = i;
            }
            return Self {
                ligne,
                bornes,
                caracteres,
            };
        }
        let mut caracteres = 0;
        let mut debuts = ligne.char_indices().map(|(octet, _)| octet);
        for (borne, debut) in bornes.iter_mut().zip(debuts.by_ref()) {
            *borne = debut;
            caracteres += 1;
            if caracteres == LARGEUR {
                break;
            }
        }
        bornes[caracteres] = debuts.next().unwrap_or(ligne.len());
        Self {
            ligne,
            bornes,
            caracteres,
        }
    }

    /// Characters `premier` to `dernier`, 1-based and inclusive as INSEE numbers them; cut
    /// short, or empty, where the line stops.
    fn champ(&self, premier: usize, dernier: usize) -> &'a str {
        let debut = (premier - 1).min(self.caracteres);
        let fin = dernier.min(self.caracteres);
        self.ligne
            .get(self.bornes[debut]..self.bornes[fin])
            .unwrap_or("")
    }
}

/// Streams a file: constant memory whatever its size.
///
/// Each item: the 1-based line number and the parsed death or why it was refused; an I/O error
/// ends the iteration with `Err`. Blank lines are skipped but counted.
#[derive(Debug)]
pub struct LecteurDeces<R> {
    source: R,
    /// One buffer for every line.
    tampon: Vec<u8>,
    ligne: u64,
    octets: u64,
    termine: bool,
}

impl<R: BufRead> LecteurDeces<R> {
    /// A reader of `source`, from its beginning.
    pub fn new(source: R) -> Self {
        Self {
            source,
            tampon: Vec::with_capacity(256),
            ligne: 0,
            octets: 0,
            termine: false,
        }
    }

    /// Bytes consumed so far (to drive a progress bar).
    #[must_use]
    pub fn octets_lus(&self) -> u64 {
        self.octets
    }
}

impl<R: BufRead> Iterator for LecteurDeces<R> {
    type Item = std::io::Result<(u64, Result<Deces, LigneInvalide>)>;

    /// The next non-blank line, read.
    fn next(&mut self) -> Option<Self::Item> {
        while !self.termine {
            self.tampon.clear();
            let lus = match self.source.read_until(b'\n', &mut self.tampon) {
                Ok(0) => break,
                Ok(lus) => lus,
                Err(erreur) => {
                    self.termine = true;
                    return Some(Err(erreur));
                }
            };
            self.octets += u64::try_from(lus).unwrap_or(u64::MAX);
            self.ligne += 1;

            let mut octets = self.tampon.as_slice();
            if self.ligne == 1 {
                octets = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets);
            }
            octets = octets.strip_suffix(b"\n").unwrap_or(octets);
            octets = octets.strip_suffix(b"\r").unwrap_or(octets);
            if octets.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let deces = std::str::from_utf8(octets)
                .map_err(|_| LigneInvalide::Utf8)
                .and_then(lire_ligne);
            return Some(Ok((self.ligne, deces)));
        }
        self.termine = true;
        None
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use super::*;

    /// A line laid out as INSEE does, padded to 198 characters like the real files.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the layout"
    )]
    fn ligne(
        nom_prenoms: &str,
        sexe: &str,
        naissance: &str,
        lieu_naissance: &str,
        commune: &str,
        pays: &str,
        deces: &str,
        lieu_deces: &str,
        acte: &str,
    ) -> String {
        let ligne = format!(
            "{nom_prenoms:<80}{sexe:1}{naissance:8}{lieu_naissance:<5}{commune:<30}{pays:<30}\
             {deces:8}{lieu_deces:<5}{acte:<9}"
        );
        format!("{ligne:<198}")
    }

    fn ducret() -> String {
        ligne(
            "DUCRET*MARIE ANTOINETTE/",
            "2",
            "19220109",
            "01004",
            "AMBERIEU-EN-BUGEY",
            "",
            "19701210",
            "01421",
            "6",
        )
    }

    fn date(texte: &str) -> DateNaissance {
        DateNaissance::from_insee(texte).expect("date")
    }

    fn lire(texte: &[u8]) -> Vec<(u64, Result<Deces, LigneInvalide>)> {
        LecteurDeces::new(texte)
            .collect::<std::io::Result<Vec<_>>>()
            .expect("no I/O error")
    }

    #[test]
    fn a_full_line() {
        let deces = lire_ligne(&ducret()).expect("valid");
        assert_eq!(
            deces,
            Deces {
                nom: "DUCRET".to_owned(),
                prenoms: "MARIE ANTOINETTE".to_owned(),
                sexe: Some(Sexe::Feminin),
                date_naissance: date("19220109"),
                lieu_naissance: Some("01004".to_owned()),
                commune_naissance: "AMBERIEU-EN-BUGEY".to_owned(),
                pays_naissance: String::new(),
                date_deces: date("19701210"),
                lieu_deces: Some("01421".to_owned()),
                numero_acte: Some("6".to_owned()),
            }
        );
        assert_eq!(deces.commune_naissance_cog(), Some("01004"));
        assert_eq!(deces.pays_naissance_cog(), Some("99100"));
    }

    #[test]
    fn a_partial_death_date() {
        let line = ligne(
            "BANOR*PATRICK/",
            "1",
            "19650619",
            "97422",
            "LE TAMPON",
            "LA REUNION",
            "20190000",
            "97422",
            "39",
        );
        let deces = lire_ligne(&line).expect("valid");
        assert_eq!(deces.date_deces.annee(), 2019);
        assert_eq!(
            (deces.date_deces.mois(), deces.date_deces.jour()),
            (None, None)
        );
        assert_eq!(deces.pays_naissance, "LA REUNION");
        assert_eq!(deces.commune_naissance_cog(), Some("97422"));
    }

    #[test]
    fn a_birth_abroad() {
        let line = ligne(
            "LAUDEN*YVON RICHARD/",
            "1",
            "19520915",
            "99131",
            "OUGREE",
            "BELGIQUE",
            "20190312",
            "56178",
            "88",
        );
        let deces = lire_ligne(&line).expect("valid");
        assert_eq!(deces.lieu_naissance.as_deref(), Some("99131"));
        assert_eq!(deces.commune_naissance_cog(), None);
        assert_eq!(deces.pays_naissance_cog(), Some("99131"));
        assert_eq!(
            (
                deces.commune_naissance.as_str(),
                deces.pays_naissance.as_str()
            ),
            ("OUGREE", "BELGIQUE")
        );

        let line = ligne(
            "EYCHENNE*GILBERT/",
            "1",
            "19540601",
            "31555",
            "TOULOUSE",
            "",
            "20190401",
            "99217",
            "276",
        );
        let deces = lire_ligne(&line).expect("died abroad");
        assert_eq!(deces.lieu_deces.as_deref(), Some("99217"));
        assert_eq!(deces.pays_naissance_cog(), Some("99100"));
    }

    #[test]
    fn corsican_codes_are_kept_as_given() {
        for code in ["20004", "2A004", "2B033"] {
            let line = ligne(
                "SANTONI*ANGE/",
                "1",
                "19300512",
                code,
                "AJACCIO",
                "",
                "19700304",
                "2A004",
                "12",
            );
            let deces = lire_ligne(&line).expect("valid");
            assert_eq!(deces.commune_naissance_cog(), Some(code));
            assert_eq!(deces.pays_naissance_cog(), Some("99100"));
        }
    }

    #[test]
    fn act_numbers_are_free_text() {
        for (acte, attendu) in [
            ("15/403", Some("15/403")),
            ("661B", Some("661B")),
            ("01", Some("01")),
            ("0", None),
            ("", None),
        ] {
            let line = ligne(
                "MARTIN*JEAN/",
                "1",
                "19000101",
                "75056",
                "PARIS",
                "",
                "19700101",
                "75114",
                acte,
            );
            let deces = lire_ligne(&line).expect("valid");
            assert_eq!(deces.numero_acte.as_deref(), attendu, "{acte:?}");
        }
    }

    #[test]
    fn unknown_places_are_none() {
        for lieu in ["0", "", "00000", "12", "1/2 3"] {
            let line = ligne(
                "MARTIN*JEAN/",
                "1",
                "19000101",
                lieu,
                "",
                "",
                "19700101",
                lieu,
                "1",
            );
            let deces = lire_ligne(&line).expect("valid");
            assert_eq!(deces.lieu_naissance, None, "{lieu:?}");
            assert_eq!(deces.lieu_deces, None, "{lieu:?}");
            assert_eq!(deces.commune_naissance_cog(), None);
            assert_eq!(deces.pays_naissance_cog(), None);
        }
    }

    #[test]
    fn name_field_variants() {
        let avec = |nom_prenoms: &str| {
            lire_ligne(&ligne(
                nom_prenoms,
                "2",
                "19000101",
                "75056",
                "PARIS",
                "",
                "19700101",
                "75114",
                "1",
            ))
        };
        let deces = avec("DE LA FONTAINE*MARIE/").expect("valid");
        assert_eq!(
            (deces.nom.as_str(), deces.prenoms.as_str()),
            ("DE LA FONTAINE", "MARIE")
        );
        let deces = avec("DUPONT*/").expect("no first name");
        assert_eq!(deces.prenoms, "");
        let deces = avec("DUPONT*JEANNE MARIE").expect("no final slash");
        assert_eq!(deces.prenoms, "JEANNE MARIE");
        assert_eq!(avec("DUPONT JEANNE/"), Err(LigneInvalide::SansEtoile));
        assert_eq!(avec(" *JEANNE/"), Err(LigneInvalide::NomVide));
    }

    #[test]
    fn errors_name_the_field() {
        let line = ligne(
            "MARTIN*JEAN/",
            "1",
            "19001301",
            "75056",
            "PARIS",
            "",
            "19700101",
            "75114",
            "1",
        );
        let erreur = lire_ligne(&line).expect_err("month 13");
        assert_eq!(
            erreur,
            LigneInvalide::DateNaissance {
                texte: "19001301".to_owned(),
                erreur: DateInvalide::Mois(13),
            }
        );
        assert!(erreur.to_string().contains("date de naissance"), "{erreur}");

        let line = ligne(
            "MARTIN*JEAN/",
            "1",
            "19000101",
            "75056",
            "PARIS",
            "",
            "1970023X",
            "75114",
            "1",
        );
        let erreur = lire_ligne(&line).expect_err("not a date");
        assert!(
            matches!(erreur, LigneInvalide::DateDeces { .. }),
            "{erreur:?}"
        );
        assert!(erreur.to_string().contains("date de décès"), "{erreur}");

        let line = ligne(
            "MARTIN*JEAN/",
            "3",
            "19000101",
            "75056",
            "PARIS",
            "",
            "19700101",
            "75114",
            "1",
        );
        assert_eq!(lire_ligne(&line), Err(LigneInvalide::Sexe("3".to_owned())));
        let line = ligne(
            "MARTIN*JEAN/",
            "",
            "19000101",
            "75056",
            "PARIS",
            "",
            "19700101",
            "75114",
            "1",
        );
        assert_eq!(lire_ligne(&line).expect("blank sex").sexe, None);
    }

    #[test]
    fn short_lines() {
        let complete = ducret();
        let jusqu_au_deces: String = complete.chars().take(162).collect();
        let deces = lire_ligne(&jusqu_au_deces).expect("up to the death date is enough");
        assert_eq!((deces.lieu_deces, deces.numero_acte), (None, None));

        let sans_blancs = complete.trim_end();
        assert_eq!(
            lire_ligne(sans_blancs)
                .expect("stripped padding")
                .numero_acte
                .as_deref(),
            Some("6")
        );

        let trop_court: String = complete.chars().take(161).collect();
        assert_eq!(lire_ligne(&trop_court), Err(LigneInvalide::TropCourte(161)));
        assert_eq!(
            lire_ligne("DUCRET*MARIE/"),
            Err(LigneInvalide::TropCourte(13))
        );
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let line = ligne(
            "LEFÈVRE*HÉLÈNE ANAÏS/",
            "2",
            "19220109",
            "01004",
            "AMBÉRIEU-EN-BUGEY",
            "",
            "19701210",
            "01421",
            "6",
        );
        assert!(line.len() > line.chars().count());
        let deces = lire_ligne(&line).expect("valid");
        assert_eq!(
            (deces.nom.as_str(), deces.prenoms.as_str()),
            ("LEFÈVRE", "HÉLÈNE ANAÏS")
        );
        assert_eq!(deces.commune_naissance, "AMBÉRIEU-EN-BUGEY");
        assert_eq!(deces.numero_acte.as_deref(), Some("6"));
    }

    #[test]
    fn crlf_bom_and_blank_lines() {
        let mut fichier = Vec::new();
        fichier.extend_from_slice(b"\xEF\xBB\xBF");
        fichier.extend_from_slice(ducret().as_bytes());
        fichier.extend_from_slice(b"\r\n\r\n   \n");
        fichier.extend_from_slice(ducret().trim_end().as_bytes());
        fichier.extend_from_slice(b"\r\n\n");
        fichier.extend_from_slice(b"VELLET*PHILIPPE/");
        fichier.extend_from_slice(b"\n");
        fichier.extend_from_slice(ducret().as_bytes());

        let mut lecteur = LecteurDeces::new(fichier.as_slice());
        let lignes: Vec<_> = lecteur
            .by_ref()
            .map(|item| item.expect("no I/O error"))
            .collect();
        let numeros: Vec<u64> = lignes.iter().map(|(numero, _)| *numero).collect();
        assert_eq!(numeros, [1, 4, 6, 7]);
        let attendu = lire_ligne(&ducret()).expect("valid");
        assert_eq!(lignes[0].1.as_ref(), Ok(&attendu), "BOM and CRLF");
        assert_eq!(lignes[1].1.as_ref(), Ok(&attendu), "stripped padding");
        assert_eq!(lignes[2].1, Err(LigneInvalide::TropCourte(16)));
        assert_eq!(lignes[3].1.as_ref(), Ok(&attendu), "no final newline");
        assert_eq!(
            lecteur.octets_lus(),
            u64::try_from(fichier.len()).expect("size")
        );
        assert!(lecteur.next().is_none());
    }

    #[test]
    fn invalid_utf8_refuses_the_line_only() {
        let mut fichier = ducret().into_bytes();
        fichier[10] = 0xFF;
        fichier.push(b'\n');
        fichier.extend_from_slice(ducret().as_bytes());
        let lignes = lire(&fichier);
        assert_eq!(lignes.len(), 2);
        assert_eq!(lignes[0], (1, Err(LigneInvalide::Utf8)));
        assert!(lignes[1].1.is_ok());
    }

    #[test]
    fn an_io_error_ends_the_iteration() {
        struct Panne(Option<Vec<u8>>);
        impl Read for Panne {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.take() {
                    Some(data) => {
                        buf[..data.len()].copy_from_slice(&data);
                        Ok(data.len())
                    }
                    None => Err(std::io::Error::other("disque débranché")),
                }
            }
        }
        let premiere = format!("{}\n", ducret()).into_bytes();
        let mut lecteur = LecteurDeces::new(BufReader::new(Panne(Some(premiere))));
        assert!(matches!(lecteur.next(), Some(Ok((1, Ok(_))))));
        assert!(matches!(lecteur.next(), Some(Err(_))));
        assert!(lecteur.next().is_none());
    }

    #[test]
    fn the_insee_1970_file_reads_whole() {
        let chemin = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/deces/deces-1970.txt"
        );
        let Ok(fichier) = std::fs::File::open(chemin) else {
            eprintln!("{chemin} absent: test skipped");
            return;
        };
        let taille = fichier.metadata().expect("metadata").len();
        let mut lecteur = LecteurDeces::new(BufReader::new(fichier));
        let mut premier = None;
        let mut lus = 0_u64;
        let mut refus = Vec::new();
        for item in lecteur.by_ref() {
            let (numero, deces) = item.expect("no I/O error");
            lus += 1;
            assert_eq!(numero, lus, "the file has no blank line");
            match deces {
                Ok(deces) => {
                    premier.get_or_insert(deces);
                }
                Err(erreur) => refus.push(format!("ligne {numero} : {erreur}")),
            }
        }
        assert!(
            refus.is_empty(),
            "{} lignes refusées : {refus:#?}",
            refus.len()
        );
        assert_eq!(lus, 27_006);
        assert_eq!(lecteur.octets_lus(), taille);

        let premier = premier.expect("a first record");
        assert_eq!(premier.nom, "DUCRET");
        assert_eq!(premier.prenoms, "MARIE ANTOINETTE");
        assert_eq!(premier.sexe, Some(Sexe::Feminin));
        assert_eq!(premier.date_naissance, date("19220109"));
        assert_eq!(premier.lieu_naissance.as_deref(), Some("01004"));
        assert_eq!(premier.commune_naissance, "AMBERIEU-EN-BUGEY");
        assert_eq!(premier.date_deces, date("19701210"));
        assert_eq!(premier.lieu_deces.as_deref(), Some("01421"));
        assert_eq!(premier.numero_acte.as_deref(), Some("6"));
    }
}
