/**
 * @file report_geojson.c
 * @brief placements.geojson: this run's proposals as points, for QGIS.
 *
 * A GeoJSON FeatureCollection (RFC 7946): one Feature per proposal, in the
 * order of proposals.csv (by household id).  units.csv has no coordinates,
 * so a unit is drawn at its public-transport stop; the walk from the door
 * to that stop is a property.  A stop without coordinates gives a Feature
 * whose geometry is null, so that the file still has one Feature per
 * proposal.  Coordinates are [longitude, latitude] in WGS84, as RFC 7946
 * requires; there is no "crs" member.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "output.h"
#include "report.h"

char *bp_report_geojson(const bp_report *r) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "type", "FeatureCollection");
  cJSON *features = cJSON_AddArrayToObject(root, "features");
  for (size_t i = 0; i < r->n_proposals; i++) {
    const bp_report_proposal *x = &r->proposals[i];
    const bp_report_area *area = &r->areas[x->area];
    const bp_report_stop *stop =
        x->stop >= 0 && (size_t)x->stop < r->n_stops ? &r->stops[x->stop]
                                                     : NULL;
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "type", "Feature");
    cJSON_AddStringToObject(f, "id", x->household_id);
    if (stop && isfinite(stop->lat) && isfinite(stop->lon)) {
      cJSON *g = cJSON_AddObjectToObject(f, "geometry");
      cJSON_AddStringToObject(g, "type", "Point");
      cJSON *c = cJSON_AddArrayToObject(g, "coordinates");
      cJSON_AddItemToArray(c, cJSON_CreateNumber(stop->lon));
      cJSON_AddItemToArray(c, cJSON_CreateNumber(stop->lat));
    } else {
      cJSON_AddNullToObject(f, "geometry");
    }
    cJSON *p = cJSON_AddObjectToObject(f, "properties");
    cJSON_AddStringToObject(p, "household_id", x->household_id);
    cJSON_AddStringToObject(p, "unit_id", x->unit_id);
    cJSON_AddStringToObject(p, "area_id", area->id);
    cJSON_AddStringToObject(p, "area_name", area->name);
    if (stop) {
      cJSON_AddStringToObject(p, "stop_id", stop->id);
      cJSON_AddStringToObject(p, "stop_name", stop->name);
    } else {
      cJSON_AddNullToObject(p, "stop_id");
      cJSON_AddNullToObject(p, "stop_name");
    }
    bp_json_add_number(p, "walk_minutes", x->walk_minutes);
    cJSON_AddStringToObject(p, "kind", x->kind);
    cJSON_AddNumberToObject(p, "persons", x->persons);
    cJSON_AddNumberToObject(p, "rooms", x->rooms);
    bp_json_add_number(p, "rent", x->rent);
    bp_json_add_number(p, "max_rent", x->max_rent);
    for (int t = 0; t < BP_TRIP_COUNT; t++) {
      char key[40];
      snprintf(key, sizeof key, "minutes_%s", bp_trip_name((bp_trip)t));
      bp_json_add_number(p, key, x->minutes[t]);
    }
    cJSON_AddBoolToObject(p, "within_travel_limits", x->within_limits);
    bp_json_add_number(p, "area_share_before", area->share_before);
    bp_json_add_number(p, "area_share_after", area->share_after);
    bp_json_add_number(p, "area_cap", area->cap);
    cJSON_AddStringToObject(p, "reason", x->reason[r->language]);
    cJSON_AddItemToArray(features, f);
  }
  char *text = bp_json_print(root);
  cJSON_Delete(root);
  return text;
}
