// Prints every city of libgeonames' embedded GeoNames data as TSV:
// geonameid, name, admin1 code, admin1 name, country code, population.
// Build: cc geonames_cities.c $(pkg-config --cflags --libs geonames)
#include <geonames/geonames.h>
#include <stdio.h>

int main(void) {
  const gint n = geonames_get_n_cities();
  for (gint i = 0; i < n; ++i) {
    GeonamesCity* city = geonames_get_city(i);
    // The record is (id, name, admin1 code, admin1 name, country code,
    // country, timezone, population, latitude, longitude); the API has no
    // getter for the id and the admin1 code.
    const gchar* id = NULL;
    const gchar* admin1_code = NULL;
    g_variant_get_child(city, 0, "&s", &id);
    g_variant_get_child(city, 2, "&s", &admin1_code);
    printf("%s\t%s\t%s\t%s\t%s\t%u\n", id, geonames_city_get_name(city),
           admin1_code, geonames_city_get_state(city),
           geonames_city_get_country_code(city),
           geonames_city_get_population(city));
    geonames_city_free(city);
  }
  return 0;
}
