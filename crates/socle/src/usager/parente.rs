//! Kinship between two people, as a typed value with its degree.
//!
//! Several registers decide from it: who may rest in a family concession, who asks for an
//! exhumation (the closest relative), who obtains a full copy of a civil-status act. A free text
//! (« voisin », « aucun lien de parenté ») decides nothing; a [`Parente`] does, and the words the
//! agents use (« épouse », « petite-fille », « gendre »…) are read into it. The free text a
//! module keeps beside it only explains (« fille adoptive », « par son premier mariage »).
//!
//! Degrees are counted as the code civil counts them (art. 741 to 745: one degree per
//! generation; in the collateral line, up to the common ancestor and down again); an ally is at
//! the degree of the spouse's relative (a son-in-law at the first degree, a brother-in-law at
//! the second); a spouse or PACS partner is counted at the first degree, with children and
//! parents, so that none of them prevails over another without a judge.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::identite::{Sexe, normaliser_nom};

/// What a person is to another: the kinship the rules read. Accepted as its code or as the
/// French words agents use: « époux », « épouse », « mari », « veuve » (conjoint) ; « pacsé(e) »
/// (partenaire_pacs) ; « fils », « fille », « enfant adopté » (enfant) ; « père », « mère »
/// (parent) ; « petit-fils », « petite-fille » (petit_enfant) ; « grand-père », « grand-mère »
/// (grand_parent) ; « arrière-petit-fils »… ; « frère », « sœur », « demi-frère » (frere_soeur) ;
/// « neveu », « nièce » ; « oncle », « tante » ; « cousin », « cousine » ; « gendre », « bru »,
/// « belle-fille », « beau-fils », « beau-père », « belle-mère » (allie, en ligne directe) ;
/// « beau-frère », « belle-sœur » (allie_collateral) ; « ami », « voisin », « concubin »,
/// « aucun » (sans_lien).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Parente {
    /// Spouse (époux, épouse).
    Conjoint,
    /// Partner in a pacte civil de solidarité.
    PartenairePacs,
    /// Child, adopted or not (fils, fille).
    Enfant,
    /// Father or mother.
    Parent,
    /// Grandchild.
    PetitEnfant,
    /// Grandparent.
    GrandParent,
    /// Great-grandchild.
    ArrierePetitEnfant,
    /// Great-grandparent.
    ArriereGrandParent,
    /// Brother or sister, half-brother or half-sister.
    FrereSoeur,
    /// Nephew or niece.
    NeveuNiece,
    /// Uncle or aunt.
    OncleTante,
    /// First cousin.
    Cousin,
    /// Ally in the direct line: spouse of a child (gendre, belle-fille), parent of the spouse
    /// (beau-père, belle-mère), child of the spouse (beau-fils, belle-fille).
    Allie,
    /// Ally in the collateral line: spouse of a brother or sister, brother or sister of the
    /// spouse (beau-frère, belle-sœur).
    AllieCollateral,
    /// No kinship nor alliance (friend, neighbour, unmarried partner).
    SansLien,
}

/// The French words read into each kinship, in the form [`normaliser_nom`] gives them.
const MOTS: &[(Parente, &[&str])] = &[
    (
        Parente::Conjoint,
        &[
            "CONJOINT",
            "CONJOINTE",
            "EPOUX",
            "EPOUSE",
            "MARI",
            "FEMME",
            "VEUF",
            "VEUVE",
            "CONJOINT SURVIVANT",
            "CONJOINTE SURVIVANTE",
        ],
    ),
    (
        Parente::PartenairePacs,
        &[
            "PARTENAIRE PACS",
            "PARTENAIRE DE PACS",
            "PARTENAIRE",
            "PACSE",
            "PACSEE",
            "PARTENAIRE LIE PAR UN PACS",
            "PARTENAIRE LIEE PAR UN PACS",
        ],
    ),
    (
        Parente::Enfant,
        &[
            "ENFANT",
            "FILS",
            "FILLE",
            "ENFANT ADOPTE",
            "ENFANT ADOPTEE",
            "ENFANT ADOPTIF",
            "FILS ADOPTIF",
            "FILLE ADOPTIVE",
        ],
    ),
    (
        Parente::Parent,
        &[
            "PARENT",
            "PERE",
            "MERE",
            "PERE OU MERE",
            "PERE ADOPTIF",
            "MERE ADOPTIVE",
        ],
    ),
    (
        Parente::PetitEnfant,
        &["PETIT ENFANT", "PETIT FILS", "PETITE FILLE"],
    ),
    (
        Parente::GrandParent,
        &["GRAND PARENT", "GRAND PERE", "GRAND MERE"],
    ),
    (
        Parente::ArrierePetitEnfant,
        &[
            "ARRIERE PETIT ENFANT",
            "ARRIERE PETIT FILS",
            "ARRIERE PETITE FILLE",
        ],
    ),
    (
        Parente::ArriereGrandParent,
        &[
            "ARRIERE GRAND PARENT",
            "ARRIERE GRAND PERE",
            "ARRIERE GRAND MERE",
        ],
    ),
    (
        Parente::FrereSoeur,
        &[
            "FRERE SOEUR",
            "FRERE OU SOEUR",
            "FRERE",
            "SOEUR",
            "DEMI FRERE",
            "DEMI SOEUR",
        ],
    ),
    (
        Parente::NeveuNiece,
        &["NEVEU NIECE", "NEVEU OU NIECE", "NEVEU", "NIECE"],
    ),
    (
        Parente::OncleTante,
        &["ONCLE TANTE", "ONCLE OU TANTE", "ONCLE", "TANTE"],
    ),
    (
        Parente::Cousin,
        &["COUSIN", "COUSINE", "COUSIN GERMAIN", "COUSINE GERMAINE"],
    ),
    (
        Parente::Allie,
        &[
            "ALLIE",
            "ALLIEE",
            "ALLIE EN LIGNE DIRECTE",
            "GENDRE",
            "BRU",
            "BELLE FILLE",
            "BEAU FILS",
            "BEAU PERE",
            "BELLE MERE",
            "BEAU PARENT",
        ],
    ),
    (
        Parente::AllieCollateral,
        &[
            "ALLIE COLLATERAL",
            "ALLIEE COLLATERALE",
            "ALLIE EN LIGNE COLLATERALE",
            "BEAU FRERE",
            "BELLE SOEUR",
        ],
    ),
    (
        Parente::SansLien,
        &[
            "SANS LIEN",
            "AUCUN",
            "AUCUN LIEN",
            "AUCUN LIEN DE PARENTE",
            "SANS LIEN DE PARENTE",
            "AMI",
            "AMIE",
            "VOISIN",
            "VOISINE",
            "CONCUBIN",
            "CONCUBINE",
            "COMPAGNON",
            "COMPAGNE",
            "TIERS",
        ],
    ),
];

impl Parente {
    /// Every kinship, the closest first.
    pub const TOUTES: [Self; 15] = [
        Self::Conjoint,
        Self::PartenairePacs,
        Self::Enfant,
        Self::Parent,
        Self::PetitEnfant,
        Self::GrandParent,
        Self::FrereSoeur,
        Self::ArrierePetitEnfant,
        Self::ArriereGrandParent,
        Self::NeveuNiece,
        Self::OncleTante,
        Self::Cousin,
        Self::Allie,
        Self::AllieCollateral,
        Self::SansLien,
    ];

    /// The codes, in the order of [`Self::TOUTES`], as the API and the tables write them.
    pub const CODES: [&'static str; 15] = {
        let mut codes = [""; 15];
        let mut i = 0;
        while i < codes.len() {
            codes[i] = Self::TOUTES[i].code();
            i += 1;
        }
        codes
    };

    /// The code the API and the tables use.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Conjoint => "conjoint",
            Self::PartenairePacs => "partenaire_pacs",
            Self::Enfant => "enfant",
            Self::Parent => "parent",
            Self::PetitEnfant => "petit_enfant",
            Self::GrandParent => "grand_parent",
            Self::FrereSoeur => "frere_soeur",
            Self::ArrierePetitEnfant => "arriere_petit_enfant",
            Self::ArriereGrandParent => "arriere_grand_parent",
            Self::NeveuNiece => "neveu_niece",
            Self::OncleTante => "oncle_tante",
            Self::Cousin => "cousin",
            Self::Allie => "allie",
            Self::AllieCollateral => "allie_collateral",
            Self::SansLien => "sans_lien",
        }
    }

    /// How a letter or a message names it (« petit-enfant », « frère ou sœur »).
    #[must_use]
    pub const fn libelle(self) -> &'static str {
        match self {
            Self::Conjoint => "conjoint",
            Self::PartenairePacs => "partenaire de PACS",
            Self::Enfant => "enfant",
            Self::Parent => "père ou mère",
            Self::PetitEnfant => "petit-enfant",
            Self::GrandParent => "grand-parent",
            Self::ArrierePetitEnfant => "arrière-petit-enfant",
            Self::ArriereGrandParent => "arrière-grand-parent",
            Self::FrereSoeur => "frère ou sœur",
            Self::NeveuNiece => "neveu ou nièce",
            Self::OncleTante => "oncle ou tante",
            Self::Cousin => "cousin germain",
            Self::Allie => "allié en ligne directe",
            Self::AllieCollateral => "allié en ligne collatérale",
            Self::SansLien => "sans lien de parenté",
        }
    }

    /// How a letter names a person of this kinship whose sex is known (« fils », « épouse »,
    /// « belle-sœur »); [`Self::libelle`] when it is not, or when the word is shared (« allié »
    /// covers a son-in-law and a stepfather alike).
    #[must_use]
    pub const fn libelle_pour(self, sexe: Option<Sexe>) -> &'static str {
        let Some(sexe) = sexe else {
            return self.libelle();
        };
        let homme = matches!(sexe, Sexe::Masculin);
        match self {
            Self::Conjoint if homme => "époux",
            Self::Conjoint => "épouse",
            Self::Enfant if homme => "fils",
            Self::Enfant => "fille",
            Self::Parent if homme => "père",
            Self::Parent => "mère",
            Self::PetitEnfant if homme => "petit-fils",
            Self::PetitEnfant => "petite-fille",
            Self::GrandParent if homme => "grand-père",
            Self::GrandParent => "grand-mère",
            Self::ArrierePetitEnfant if homme => "arrière-petit-fils",
            Self::ArrierePetitEnfant => "arrière-petite-fille",
            Self::ArriereGrandParent if homme => "arrière-grand-père",
            Self::ArriereGrandParent => "arrière-grand-mère",
            Self::FrereSoeur if homme => "frère",
            Self::FrereSoeur => "sœur",
            Self::NeveuNiece if homme => "neveu",
            Self::NeveuNiece => "nièce",
            Self::OncleTante if homme => "oncle",
            Self::OncleTante => "tante",
            Self::Cousin if homme => "cousin germain",
            Self::Cousin => "cousine germaine",
            Self::AllieCollateral if homme => "beau-frère",
            Self::AllieCollateral => "belle-sœur",
            Self::PartenairePacs | Self::Allie | Self::SansLien => self.libelle(),
        }
    }

    /// The kinship a stored code names.
    #[must_use]
    pub fn lire(code: &str) -> Option<Self> {
        Self::TOUTES.into_iter().find(|p| p.code() == code)
    }

    /// The kinship a code or a French word names (« Épouse », « petite-fille », « belle-sœur »):
    /// case, accents, hyphens and a leading possessive (« sa fille ») do not matter.
    #[must_use]
    pub fn depuis_mot(mot: &str) -> Option<Self> {
        if let Some(p) = Self::lire(mot.trim()) {
            return Some(p);
        }
        let normal = normaliser_nom(mot);
        let normal = ["SON ", "SA ", "LE ", "LA ", "L "]
            .iter()
            .find_map(|article| normal.strip_prefix(article))
            .unwrap_or(&normal);
        MOTS.iter()
            .find(|(_, mots)| mots.contains(&normal))
            .map(|(p, _)| *p)
    }

    /// The degree used to compare relatives: the civil degree for kin, the kin's degree for an
    /// ally, the first for a spouse or PACS partner; `None` without kinship nor alliance.
    #[must_use]
    pub const fn degre(self) -> Option<u8> {
        match self {
            Self::Conjoint | Self::PartenairePacs | Self::Enfant | Self::Parent | Self::Allie => {
                Some(1)
            }
            Self::PetitEnfant | Self::GrandParent | Self::FrereSoeur | Self::AllieCollateral => {
                Some(2)
            }
            Self::ArrierePetitEnfant
            | Self::ArriereGrandParent
            | Self::NeveuNiece
            | Self::OncleTante => Some(3),
            Self::Cousin => Some(4),
            Self::SansLien => None,
        }
    }

    /// A spouse or a PACS partner.
    #[must_use]
    pub const fn conjugale(self) -> bool {
        matches!(self, Self::Conjoint | Self::PartenairePacs)
    }

    /// A descendant or an ascendant (the direct line of kinship).
    #[must_use]
    pub const fn ligne_directe(self) -> bool {
        matches!(
            self,
            Self::Enfant
                | Self::Parent
                | Self::PetitEnfant
                | Self::GrandParent
                | Self::ArrierePetitEnfant
                | Self::ArriereGrandParent
        )
    }
}

impl std::fmt::Display for Parente {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.libelle())
    }
}

impl<'de> Deserialize<'de> for Parente {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let texte = String::deserialize(deserializer)?;
        Self::depuis_mot(&texte)
            .ok_or_else(|| serde::de::Error::unknown_variant(&texte, &Self::CODES))
    }
}

/// A kinship as a request gives it: the typed value, and the agent's own word when a word
/// rather than a code was given (« fille » for [`Parente::Enfant`]), which letters may keep.
/// Reads from a JSON string as [`Parente`] does; documented as [`Parente`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParenteDeclaree {
    /// The kinship.
    pub parente: Parente,
    /// The word given, when it was not the code.
    pub mot: Option<String>,
}

impl Serialize for ParenteDeclaree {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.parente.serialize(serializer)
    }
}

impl From<Parente> for ParenteDeclaree {
    fn from(parente: Parente) -> Self {
        Self { parente, mot: None }
    }
}

impl<'de> Deserialize<'de> for ParenteDeclaree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let texte = String::deserialize(deserializer)?;
        let parente = Parente::depuis_mot(&texte)
            .ok_or_else(|| serde::de::Error::unknown_variant(&texte, &Parente::CODES))?;
        let mot = texte.trim();
        Ok(Self {
            parente,
            mot: (mot != parente.code()).then(|| mot.chars().take(100).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_agents_use_are_read_into_their_kinship() {
        for (mot, attendu) in [
            ("Épouse", Parente::Conjoint),
            ("veuf", Parente::Conjoint),
            ("pacsée", Parente::PartenairePacs),
            ("partenaire de PACS", Parente::PartenairePacs),
            ("fils", Parente::Enfant),
            ("fille adoptive", Parente::Enfant),
            ("sa mère", Parente::Parent),
            ("petite-fille", Parente::PetitEnfant),
            ("Petit fils", Parente::PetitEnfant),
            ("grand-mère", Parente::GrandParent),
            ("arrière-petit-fils", Parente::ArrierePetitEnfant),
            ("demi-sœur", Parente::FrereSoeur),
            ("nièce", Parente::NeveuNiece),
            ("tante", Parente::OncleTante),
            ("cousine germaine", Parente::Cousin),
            ("gendre", Parente::Allie),
            ("belle-mère", Parente::Allie),
            ("belle-sœur", Parente::AllieCollateral),
            ("voisin", Parente::SansLien),
            ("aucun lien de parenté", Parente::SansLien),
            ("concubine", Parente::SansLien),
        ] {
            assert_eq!(Parente::depuis_mot(mot), Some(attendu), "{mot}");
        }
        for (code, p) in Parente::CODES.iter().zip(Parente::TOUTES) {
            assert_eq!(Parente::depuis_mot(code), Some(p));
            assert_eq!(p.code(), *code);
            assert_eq!(Parente::lire(code), Some(p));
        }
        for inconnu in ["titulaire", "", "fille de la voisine", "frère du voisin"] {
            assert_eq!(Parente::depuis_mot(inconnu), None, "{inconnu}");
        }
    }

    #[test]
    fn every_word_names_one_kinship_only() {
        let mut vus = std::collections::HashSet::new();
        for (_, mots) in MOTS {
            for mot in *mots {
                assert!(vus.insert(*mot), "{mot} twice");
                assert_eq!(normaliser_nom(mot), *mot, "{mot} is not in normal form");
            }
        }
    }

    #[test]
    fn degrees_are_counted_as_the_code_civil_counts_them() {
        assert_eq!(Parente::Enfant.degre(), Some(1));
        assert_eq!(Parente::Conjoint.degre(), Some(1));
        assert_eq!(Parente::FrereSoeur.degre(), Some(2));
        assert_eq!(Parente::PetitEnfant.degre(), Some(2));
        assert_eq!(Parente::NeveuNiece.degre(), Some(3));
        assert_eq!(Parente::Cousin.degre(), Some(4));
        assert_eq!(Parente::Allie.degre(), Some(1));
        assert_eq!(Parente::AllieCollateral.degre(), Some(2));
        assert_eq!(Parente::SansLien.degre(), None);
    }

    #[test]
    fn a_letter_names_the_kinship_of_a_man_or_a_woman() {
        assert_eq!(Parente::Enfant.libelle_pour(Some(Sexe::Masculin)), "fils");
        assert_eq!(Parente::Enfant.libelle_pour(Some(Sexe::Feminin)), "fille");
        assert_eq!(Parente::Enfant.libelle_pour(None), "enfant");
        assert_eq!(
            Parente::AllieCollateral.libelle_pour(Some(Sexe::Feminin)),
            "belle-sœur"
        );
        assert_eq!(
            Parente::Allie.libelle_pour(Some(Sexe::Masculin)),
            "allié en ligne directe"
        );
        for p in Parente::TOUTES {
            for sexe in [Sexe::Masculin, Sexe::Feminin] {
                assert_eq!(
                    Parente::depuis_mot(p.libelle_pour(Some(sexe))),
                    Some(p),
                    "{p:?}"
                );
            }
            assert_eq!(Parente::depuis_mot(p.libelle()), Some(p), "{p:?}");
        }
    }

    #[test]
    fn an_unknown_word_is_refused_with_the_codes() {
        let erreur = serde_json::from_str::<Parente>("\"voisinage\"")
            .expect_err("refused")
            .to_string();
        assert!(erreur.contains("voisinage") && erreur.contains("petit_enfant"));
        let lu: Parente = serde_json::from_str("\"Petite-Fille\"").expect("read");
        assert_eq!(
            serde_json::to_string(&lu).expect("json"),
            "\"petit_enfant\""
        );
        let declaree: ParenteDeclaree = serde_json::from_str("\" Petite-Fille \"").expect("read");
        assert_eq!(declaree.parente, Parente::PetitEnfant);
        assert_eq!(declaree.mot.as_deref(), Some("Petite-Fille"));
        let code: ParenteDeclaree = serde_json::from_str("\"petit_enfant\"").expect("read");
        assert_eq!(code.mot, None);
    }
}
