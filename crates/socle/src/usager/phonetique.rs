//! French phonetic keys of names, for duplicate detection in the citizen registry.
//!
//! Two spellings of one French name that are pronounced alike — « Lefèvre » and « Lefebvre »,
//! « Gauthier » and « Gotier », « Dupont » and « Dupond » — get the same key, so that the
//! registry can propose them as one person when the birth date agrees too. The key is an
//! opaque string of ASCII capitals: it is compared, never shown.
//!
//! - [`cle_nom`]: key of a surname, noble particles left out (« de Gaulle » = « Gaulle »).
//! - [`cle_prenom`]: key of one first name, compound or not (« Jean-Pierre » = « Jean Pierre »).
//! - [`nom_sans_particule`]: the surname without DE, D', DU, DES.
//!
//! # How a key is made
//!
//! The name is first [normalised](super::identite::normaliser_nom) (capitals without accents),
//! its words joined and everything but the letters A–Z dropped (Ø and Ł read as O and L). Then:
//!
//! 1. Spelling: Y reads as I and W as V; doubled letters are single (TT → T).
//! 2. Silent endings: a final S is dropped, a final X after U (-AUX, -EUX, -OUX), then a final
//!    T or D, twice at most (Schmidt → SCHMI); -EZ, -ET, -ED and -ER end on a sounded E
//!    (Gauthier, Bonnet, Lambert).
//! 3. Sounds, read left to right, longest group first:
//!    - vowel groups: EAU, AU → O; AI, EI, EU, OEU → E; OU → W; OI → WA;
//!    - nasal vowels, when the N or M is followed by a consonant or ends the name:
//!      AN, AM, EN, EM → Q; IN, IM, UN, UM, AIN, AIM, EIN, EIM, IEN → Y (and OIN → WY);
//!      ON, OM → H. Followed by a vowel they are not nasal: « Martine » keeps its N;
//!    - a final E is mute (unless it is all there is);
//!    - PH → F; TH → T; BV → V; H alone is silent;
//!    - C before E or I → S, CH → X (but CHR, CHL → K), CK and other C → K; QU, Q → K;
//!    - GU before E or I → G; G before E or I → J; the E of GEA, GEO, JEA, JEO is silent;
//!    - SCH, SH → X; SC before E or I → S; X → KS; Z → S.
//! 4. Repeated sounds are said once (« Meyer » → ME from M, EI, sounded ER).
//!
//! # Choices
//!
//! - Masculine and feminine forms differ where they are heard to: « Martin » (nasal IN) and
//!   « Martine » (IN then a mute E), « Simon » and « Simone ».
//! - « Marie » and « Mario » differ (the final O is heard, the final E is not).
//! - Accents are gone before the key is made, so a sounded final È is taken for a mute E:
//!   « Agnès » and « Agne » coincide. Likewise « François » and « Francois » coincide, as the
//!   INSEE files, without cedillas, need.
//! - Names borrowed from other languages follow French reading: the final T of « Schmitt » is
//!   taken as silent, which is what makes it meet « Schmidt ».

use super::identite::normaliser_nom;

/// Words dropped from a surname when other words remain (after normalisation D' is « D »).
const PARTICULES: [&str; 4] = ["DE", "D", "DU", "DES"];

/// A sounded final E (from -EZ, -ET, -ED, -ER): never mute. Lower case, so that it cannot be
/// mistaken for a letter of the name.
const E_SONORE: u8 = b'e';

/// Phonetic key of a surname: [`nom_sans_particule`], then the rules of this module.
///
/// Spellings pronounced alike give equal keys (« Dupont », « Dupond », « DUPONT »). A name
/// without any letter gives "".
#[must_use]
pub fn cle_nom(nom: &str) -> String {
    cle(&nom_sans_particule(nom))
}

/// Phonetic key of one first name (a compound like "Jean-Pierre" is one first name): its words
/// are joined (« JEAN PIERRE » is read « JEANPIERRE »), then the rules of this module apply.
///
/// A first name without any letter gives "".
#[must_use]
pub fn cle_prenom(prenom: &str) -> String {
    cle(&normaliser_nom(prenom))
}

/// Normalised surname without the noble particles (DE, D', DU, DES) when other words remain,
/// words joined: "de Gaulle" -> "GAULLE", "D'Estaing" -> "ESTAING", "Du Pont" -> "PONT",
/// "Des" -> "DES", "Le Pen" -> "LEPEN".
#[must_use]
pub fn nom_sans_particule(nom: &str) -> String {
    let normalise = normaliser_nom(nom);
    let mots: Vec<&str> = normalise.split(' ').filter(|mot| !mot.is_empty()).collect();
    let restants: Vec<&str> = mots
        .iter()
        .copied()
        .filter(|mot| !PARTICULES.contains(mot))
        .collect();
    if restants.is_empty() {
        mots.concat()
    } else {
        restants.concat()
    }
}

/// The key of a normalised text (spaces and non-letters are ignored).
fn cle(normalise: &str) -> String {
    let mut lettres = lettres(normalise);
    lettres.dedup();
    retirer_finales_muettes(&mut lettres);
    let mut sons = transcrire(&lettres);
    sons.dedup();
    if sons.is_empty() {
        // Only silent letters (« H »): the letters themselves keep the key non-empty.
        sons = lettres.iter().map(u8::to_ascii_uppercase).collect();
    }
    sons.into_iter().map(char::from).collect()
}

/// The letters A–Z of a normalised text, Y read as I and W as V.
fn lettres(normalise: &str) -> Vec<u8> {
    normalise
        .chars()
        .filter_map(|c| match c {
            'Y' => Some(b'I'),
            'W' => Some(b'V'),
            'Ø' => Some(b'O'),
            'Ł' => Some(b'L'),
            c if c.is_ascii_uppercase() => u8::try_from(c).ok(),
            _ => None,
        })
        .collect()
}

/// Drops the silent final consonants and marks the sounded final E; never empties the name.
fn retirer_finales_muettes(lettres: &mut Vec<u8>) {
    fn remplacer_fin(lettres: &mut Vec<u8>, combien: usize, par: u8) {
        lettres.truncate(lettres.len().saturating_sub(combien));
        lettres.push(par);
    }

    match lettres.as_slice() {
        [.., b'E', b'Z'] => remplacer_fin(lettres, 2, E_SONORE),
        [.., _, b'S'] | [.., b'U', b'X'] => {
            lettres.pop();
        }
        _ => {}
    }
    for _ in 0..2 {
        match lettres.as_slice() {
            [.., b'E', b'T' | b'D'] => {
                remplacer_fin(lettres, 2, E_SONORE);
                break;
            }
            [.., _, b'T' | b'D'] => {
                lettres.pop();
            }
            _ => break,
        }
    }
    if let [.., b'E', b'R'] = lettres.as_slice() {
        remplacer_fin(lettres, 2, E_SONORE);
    }
}

fn est_voyelle(lettre: Option<u8>) -> bool {
    matches!(lettre, Some(b'A' | b'E' | b'I' | b'O' | b'U' | E_SONORE))
}

fn est_e_ou_i(lettre: Option<u8>) -> bool {
    matches!(lettre, Some(b'E' | b'I' | E_SONORE))
}

/// The sounds of prepared letters, one symbol each (see the module documentation).
fn transcrire(lettres: &[u8]) -> Vec<u8> {
    let lettre = |k: usize| lettres.get(k).copied();
    // The letter at `k` is an N or M that makes the vowel before it nasal.
    let nasale = |k: usize| matches!(lettre(k), Some(b'N' | b'M')) && !est_voyelle(lettre(k + 1));

    let mut sons = Vec::with_capacity(lettres.len() + 2);
    let mut i = 0;
    while let Some(courante) = lettre(i) {
        let suivante = lettre(i + 1);
        let apres = lettre(i + 2);
        let (son, longueur): (&[u8], usize) = match courante {
            b'A' => match suivante {
                Some(b'U') => (b"O", 2),
                Some(b'I') if nasale(i + 2) => (b"Y", 3),
                Some(b'I') => (b"E", 2),
                _ if nasale(i + 1) => (b"Q", 2),
                _ => (b"A", 1),
            },
            b'E' => match suivante {
                Some(b'A') if apres == Some(b'U') => (b"O", 3),
                Some(b'I') if nasale(i + 2) => (b"Y", 3),
                Some(b'I' | b'U') => (b"E", 2),
                _ if nasale(i + 1) && i > 0 && lettre(i - 1) == Some(b'I') => (b"Y", 2),
                _ if nasale(i + 1) => (b"Q", 2),
                None if !sons.is_empty() => (b"", 1),
                _ => (b"E", 1),
            },
            E_SONORE => (b"E", 1),
            b'I' | b'U' if nasale(i + 1) => (b"Y", 2),
            b'O' => match suivante {
                Some(b'U') => (b"W", 2),
                Some(b'I') if nasale(i + 2) => (b"WY", 3),
                Some(b'I') => (b"WA", 2),
                Some(b'E') if apres == Some(b'U') => (b"E", 3),
                _ if nasale(i + 1) => (b"H", 2),
                _ => (b"O", 1),
            },
            b'B' if suivante == Some(b'V') => (b"V", 2),
            b'C' => match suivante {
                Some(b'H') if matches!(apres, Some(b'R' | b'L')) => (b"K", 2),
                Some(b'H') => (b"X", 2),
                Some(b'K') => (b"K", 2),
                s if est_e_ou_i(s) => (b"S", 1),
                _ => (b"K", 1),
            },
            b'G' => match suivante {
                Some(b'U') if est_e_ou_i(apres) => (b"G", 2),
                Some(b'E') if matches!(apres, Some(b'A' | b'O')) => (b"J", 2),
                s if est_e_ou_i(s) => (b"J", 1),
                _ => (b"G", 1),
            },
            b'J' if suivante == Some(b'E') && matches!(apres, Some(b'A' | b'O')) => (b"J", 2),
            b'H' => (b"", 1),
            b'P' if suivante == Some(b'H') => (b"F", 2),
            b'Q' if suivante == Some(b'U') => (b"K", 2),
            b'Q' => (b"K", 1),
            b'S' => match suivante {
                Some(b'C') if apres == Some(b'H') => (b"X", 3),
                Some(b'H') => (b"X", 2),
                Some(b'C') if est_e_ou_i(apres) => (b"S", 2),
                _ => (b"S", 1),
            },
            b'T' if suivante == Some(b'H') => (b"T", 2),
            b'X' => (b"KS", 1),
            b'Z' => (b"S", 1),
            _ => (std::slice::from_ref(&lettres[i]), 1),
        };
        sons.extend_from_slice(son);
        i += longueur;
    }
    sons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn memes_cles(cle: fn(&str) -> String, groupes: &[&[&str]]) {
        for groupe in groupes {
            let attendue = cle(groupe[0]);
            assert!(!attendue.is_empty(), "{:?}", groupe[0]);
            for nom in &groupe[1..] {
                assert_eq!(cle(nom), attendue, "{nom:?} and {:?}", groupe[0]);
            }
        }
    }

    #[track_caller]
    fn cles_differentes(cle: fn(&str) -> String, paires: &[(&str, &str)]) {
        for (a, b) in paires {
            assert_ne!(cle(a), cle(b), "{a:?} and {b:?}");
        }
    }

    #[test]
    fn surnames_pronounced_alike_share_a_key() {
        memes_cles(
            cle_nom,
            &[
                &["Dupont", "Dupond", "DUPONT"],
                &["Lefèvre", "Lefebvre", "LEFEVRE"],
                &["Gauthier", "Gautier", "Gotier"],
                &["Schmitt", "Schmidt", "Chmit"],
                &["Meyer", "Meier", "Mayer"],
                &["Fontaine", "Fontaines"],
                &["Rousseau", "Rousso", "Roussot"],
                &["Lambert", "Lamber"],
                &["de Gaulle", "Gaulle", "DE GAULLE"],
                &["Faure", "Fore"],
                &["Marchand", "Marchant"],
                &["Thomas", "Tomas"],
                &["Leroux", "Le Roux"],
                &["Giscard d'Estaing", "Giscard Destaing"],
            ],
        );
    }

    #[test]
    fn first_names_pronounced_alike_share_a_key() {
        memes_cles(
            cle_prenom,
            &[
                &["Philippe", "Filipe", "Phillipe"],
                &["Mathieu", "Matthieu", "Matieu"],
                &["Thomas", "Tomas"],
                &["Catherine", "Katherine", "Catheryne"],
                &["Jean-Pierre", "Jean Pierre", "JEANPIERRE", "jean  pierre"],
                &["Hélène", "Helene", "Héleine"],
                &["Vincent", "Vinsent"],
                &["François", "Francois"],
            ],
        );
    }

    #[test]
    fn names_heard_differently_keep_different_keys() {
        cles_differentes(
            cle_nom,
            &[
                ("Dupont", "Durand"),
                ("Bernard", "Bertrand"),
                ("Petit", "Robert"),
                ("Leroy", "Leroux"),
                ("Martin", "Martine"),
                ("Dupont", "Du Pont"),
            ],
        );
        // Documented choices: masculine and feminine forms differ where they are heard to.
        cles_differentes(
            cle_prenom,
            &[
                ("Martin", "Martine"),
                ("Simon", "Simone"),
                ("Marie", "Mario"),
                ("Jean", "Jeanne"),
                ("Laurent", "Laurence"),
            ],
        );
    }

    #[test]
    fn keys_follow_the_documented_rules() {
        let cas = [
            ("Dupont", "DUPH"),
            ("Lefebvre", "LEFEVR"),
            ("Gauthier", "GOTIE"),
            ("Schmidt", "XMI"),
            ("Meyer", "ME"),
            ("Fontaines", "FHTEN"),
            ("Rousseau", "RWSO"),
            ("Lambert", "LQBE"),
            ("Leroy", "LERWA"),
            ("Leroux", "LERW"),
            ("Bonnet", "BONE"),
            ("Vincent", "VYSQ"),
            ("Julien", "JULIY"),
            ("Christophe", "KRISTOF"),
            ("Georges", "JORJ"),
            ("Jacques", "JAK"),
            ("Guillaume", "GILOM"),
            ("Xavier", "KSAVIE"),
            ("Hélène", "ELEN"),
            ("Martin", "MARTY"),
            ("Martine", "MARTIN"),
        ];
        for (nom, cle) in cas {
            assert_eq!(cle_nom(nom), cle, "{nom:?}");
        }
    }

    #[test]
    fn particles_are_left_out_when_something_remains() {
        for (nom, attendu) in [
            ("de Gaulle", "GAULLE"),
            ("D'Estaing", "ESTAING"),
            ("d’Estaing", "ESTAING"),
            ("Du Pont", "PONT"),
            ("Des", "DES"),
            ("De Du", "DEDU"),
            ("Le Pen", "LEPEN"),
            ("de la Fontaine", "LAFONTAINE"),
            ("", ""),
        ] {
            assert_eq!(nom_sans_particule(nom), attendu, "{nom:?}");
        }
    }

    #[test]
    fn keys_are_ascii_capitals_and_odd_input_does_not_panic() {
        let long = "Jean-Pierre de la Fontaine-Lefebvre ".repeat(2_000);
        let odd = [
            "",
            "---",
            "Ø",
            "123",
            "🙂",
            "H",
            "E",
            "Z",
            "ES",
            "DT",
            "'",
            "d'",
            "Ÿ",
            "ß",
            "Œuvre",
            "ΑΘΗΝΑ",
            "  \t ",
            long.as_str(),
        ];
        for text in odd {
            for key in [cle_nom(text), cle_prenom(text)] {
                assert!(
                    key.bytes().all(|b| b.is_ascii_uppercase()),
                    "{text:?} → {key:?}"
                );
            }
        }
        for letterless in ["", "---", "123", "🙂", "  \t ", "ΑΘΗΝΑ"] {
            assert_eq!(cle_nom(letterless), "", "{letterless:?}");
            assert_eq!(cle_prenom(letterless), "", "{letterless:?}");
        }
        for lettered in ["Ø", "H", "E", "Z", "ES", "DT", "Ÿ", "ß", "d'", "Des"] {
            assert!(!cle_nom(lettered).is_empty(), "{lettered:?}");
            assert!(!cle_prenom(lettered).is_empty(), "{lettered:?}");
        }
        // A key is stable when computed again from the same name.
        assert_eq!(cle_nom(&long), cle_nom(&long));
    }

    #[test]
    fn every_surname_of_the_insee_1970_deaths_has_a_key() {
        let chemin = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/deces/deces-1970.txt"
        );
        let Ok(contenu) = std::fs::read_to_string(chemin) else {
            eprintln!("{chemin} absent: test skipped");
            return;
        };
        let mut noms = 0;
        let mut cles = std::collections::HashSet::new();
        for ligne in contenu.lines() {
            let Some((nom, _)) = ligne.split_once('*') else {
                continue;
            };
            let cle = cle_nom(nom);
            let a_des_lettres = normaliser_nom(nom).bytes().any(|b| b.is_ascii_uppercase());
            assert!(!a_des_lettres || !cle.is_empty(), "no key for {nom:?}");
            assert!(
                cle.bytes().all(|b| b.is_ascii_uppercase()),
                "{nom:?} → {cle:?}"
            );
            noms += 1;
            cles.insert(cle);
        }
        assert_eq!(noms, 27_006);
        assert!(cles.len() < noms, "some names share a key");
    }
}
