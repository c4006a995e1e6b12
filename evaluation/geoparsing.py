"""Score toponym recognition and resolution against GeoVirus (standard geoparsing metrics)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from evaluation.scores import Score, match_spans, score_from_counts

__all__ = ["EARTH_RADIUS_KM", "MAX_ERROR_KM", "error_auc", "haversine_km", "score_geoparsing"]

TASK = "geoparsing"
EARTH_RADIUS_KM = 6371.0088
#: The largest possible great-circle error: half the Earth's circumference.
MAX_ERROR_KM = 20039.0
#: 161 km = 100 miles, the usual "accurate" threshold (acc@161).
ACCURATE_KM = 161.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two (lat, lon) points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def error_auc(errors_km: Sequence[float]) -> float:
    """Return the AUC of the geocoding error curve (0 = perfect, 1 = every error maximal).

    Definition (Gritta, Pilehvar & Collier, "What's missing in geographical parsing?",
    Language Resources and Evaluation 52, 2018; after Jurgens et al., ICWSM 2015): sort the
    errors ascending, scale each as log(1 + error_km) / log(1 + 20039) so the largest possible
    error (half the Earth's circumference) is 1, and take the trapezoidal area under that curve
    over an x axis of unit length. Lower is better. (Gritta et al.'s script divides by
    log(20039); the difference is under 0.01%.) With one error, the AUC is its scaled value.
    """
    if not errors_km:
        return 0.0
    scaled = [math.log1p(max(0.0, e)) / math.log1p(MAX_ERROR_KM) for e in sorted(errors_km)]
    if len(scaled) == 1:
        return scaled[0]
    width = 1.0 / (len(scaled) - 1)
    return sum((a + b) / 2 * width for a, b in zip(scaled, scaled[1:]))


def score_geoparsing(gold: Sequence[dict], predicted: Sequence[dict]) -> list[Score]:
    """Return toponym P/R/F1 (exact, overlap) with resolution metrics on the matched toponyms.

    Resolution metrics use matched pairs whose prediction has coordinates: `acc@161` (share
    within 161 km), `mean_error_km`, `median_error_km`, `auc` (see `error_auc`), and
    `resolved` (how many matched toponyms had coordinates).
    """
    scores: list[Score] = []
    for mode in ("exact", "overlap"):
        tp = fp = fn = 0
        errors: list[float] = []
        for gold_record, pred_record in zip(gold, predicted, strict=True):
            g = list(gold_record.get("toponyms", []))
            p = list(pred_record.get("places", []))
            pairs = match_spans(g, p, mode)
            tp += len(pairs)
            fp += len(p) - len(pairs)
            fn += len(g) - len(pairs)
            for gi, pi in pairs:
                place, toponym = p[pi], g[gi]
                if place.get("lat") is None or place.get("lon") is None:
                    continue
                if toponym.get("lat") is None or toponym.get("lon") is None:
                    continue
                errors.append(haversine_km(toponym["lat"], toponym["lon"],
                                           place["lat"], place["lon"]))
        scores.append(score_from_counts(TASK, f"toponyms {mode}", tp, fp, fn,
                                        resolution_metrics(errors)))
    return scores


def resolution_metrics(errors_km: Sequence[float]) -> dict:
    """Return acc@161, mean and median error and AUC for a list of errors in km."""
    if not errors_km:
        return {"resolved": 0, "acc@161": None, "mean_error_km": None,
                "median_error_km": None, "auc": None}
    ordered = sorted(errors_km)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"resolved": len(ordered),
            "acc@161": sum(1 for e in ordered if e <= ACCURATE_KM) / len(ordered),
            "mean_error_km": sum(ordered) / len(ordered), "median_error_km": median,
            "auc": error_auc(ordered)}
