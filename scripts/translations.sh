#!/usr/bin/env bash
# Translations of Planaura for QGIS.
#   scripts/translations.sh            compile every i18n/*.ts into its .qm (lrelease), when out of date
#   scripts/translations.sh --update   first re-extract the strings of ui/ and processing_provider/
#                                      into i18n/planaura_fr.ts (pylupdate5; translations are kept)
set -euo pipefail
cd "$(dirname "$0")/.."

LRELEASE=${LRELEASE:-$(command -v lrelease || command -v lrelease-qt5 || echo /usr/lib/qt5/bin/lrelease)}

if [ "${1:-}" = "--update" ]; then
  sources=$(find ui processing_provider planaura_plugin/analysis planaura_plugin/products.py -name '*.py' -not -path '*/tests/*' -not -name 'test_*' | sort)
  pylupdate5 -noobsolete $sources -ts i18n/planaura_fr.ts
fi

for ts in i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$LRELEASE" -silent "$ts" -qm "$qm"
    echo "translations: $qm"
  fi
done
