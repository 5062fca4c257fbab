#!/usr/bin/env bash
# Translations of Planaura for QGIS.
#   scripts/translations.sh            compile every i18n/*.ts into its .qm (lrelease) and every
#                                      planaura_plugin/i18n/*.po (the core's messages, gettext) into
#                                      its .mo (msgfmt), when out of date
#   scripts/translations.sh --update   first re-extract the strings of ui/ and processing_provider/
#                                      into i18n/planaura_fr.ts (pylupdate5; translations are kept)
#                                      and the core's _("...") messages into planaura_plugin/i18n/*.po
#                                      (xgettext, then msgmerge; translations are kept, new ones empty)
set -euo pipefail
cd "$(dirname "$0")/.."

LRELEASE=${LRELEASE:-$(command -v lrelease || command -v lrelease-qt5 || echo /usr/lib/qt5/bin/lrelease)}
CORE_I18N=planaura_plugin/i18n

if [ "${1:-}" = "--update" ]; then
  sources=$(find ui processing_provider planaura_plugin/analysis planaura_plugin/products.py -name '*.py' -not -path '*/tests/*' -not -name 'test_*' | sort)
  pylupdate5 -noobsolete $sources -ts i18n/planaura_fr.ts
  core=$(find planaura_plugin -name '*.py' | sort)
  xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --no-wrap --sort-by-file \
    --add-comments=TRANSLATORS --package-name=planaura --output="$CORE_I18N/planaura.pot" $core
  sed -i 's/charset=CHARSET/charset=UTF-8/' "$CORE_I18N/planaura.pot"
  for po in "$CORE_I18N"/*.po; do
    [ -e "$po" ] || continue
    msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching "$po" "$CORE_I18N/planaura.pot"
    msgattrib --no-obsolete --no-wrap --output-file="$po" "$po"
    echo "translations: $po ($(msgfmt --statistics -o /dev/null "$po" 2>&1))"
  done
fi

for ts in i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$LRELEASE" -silent "$ts" -qm "$qm"
    echo "translations: $qm"
  fi
done
for po in "$CORE_I18N"/*.po; do
  [ -e "$po" ] || continue
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    msgfmt --check --output-file="$mo" "$po"
    echo "translations: $mo"
  fi
done
