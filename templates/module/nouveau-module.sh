#!/usr/bin/env bash
# Writes a new Socle module, crates/socle-<id>/, from this template, with every name replaced.
#
#   templates/module/nouveau-module.sh <id> <Type> <ressource> <Ressource> <ressources> "<Nom affiché>"
#   templates/module/nouveau-module.sh salles Salles salle Salle salles "Réservation de salles"
#
# Then: add the crate to the server (a feature in crates/socle-server, or your own binary),
# reread the French texts (gender and plural of « élément » are not guessed), write the rules.
set -euo pipefail

if [[ $# -ne 6 ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
id=$1 type=$2 res=$3 Res=$4 ress=$5 nom=$6
if ! [[ $id =~ ^[a-z][a-z0-9-]*[a-z0-9]$ ]]; then
  echo "identifiant invalide « $id » : minuscules, chiffres et tirets, commençant par une lettre" >&2
  exit 2
fi
if ! [[ $type =~ ^[A-Z][A-Za-z0-9]*$ && $Res =~ ^[A-Z][A-Za-z0-9]*$ && $res =~ ^[a-z][a-z0-9_]*$ && $ress =~ ^[a-z][a-z0-9_-]*$ ]]; then
  echo "noms invalides : <Type> et <Ressource> en CamelCase, <ressource> et <ressources> en minuscules" >&2
  exit 2
fi
snake=${id//-/_}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target="$root/crates/socle-$id"
if [[ -e $target ]]; then
  echo "$target existe déjà" >&2
  exit 1
fi

mkdir -p "$target"
(cd "$here" && find Cargo.toml src tests -type f) | while read -r file; do
  mkdir -p "$target/$(dirname "$file")"
  sed -e "s/socle-modele/socle-$id/g" \
      -e "s/socle_modele/socle_$snake/g" \
      -e "s/modele_element/${snake}_${res}/g" \
      -e "s/ModeleElement/${type}${Res}/g" \
      -e "s/ModeleError/${type}Error/g" \
      -e "s/NouvelElement/Nouveau${Res}/g" \
      -e "s/ElementDto/${Res}Dto/g" \
      -e "s/CreateElement/Create${Res}/g" \
      -e "s/create_element/create_${res}/g" \
      -e "s/element-existant/${res}-existant/g" \
      -e "s#/elements#/${ress}#g" \
      -e "s#/api/v1/modele#/api/v1/$id#g" \
      -e "s/\"modele\"/\"$id\"/g" \
      -e "s/modele\\./$id./g" \
      -e "s/\\.element\\./.$res./g" \
      -e "s/\\.element\"/.$res\"/g" \
      -e "s/Modèle/$nom/g" \
      -e "s/Modele/$type/g" \
      -e "s/The module\\. Name it/The $nom module. Name it/" \
      "$here/$file" > "$target/$file"
done
sed -i -e "s/^description = .*/description = \"Socle module: $nom\"/" "$target/Cargo.toml"
echo "Module écrit dans crates/socle-$id ; vérifiez-le avec : cargo test -p socle-$id"
