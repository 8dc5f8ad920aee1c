"""The CWRU Bearing Data Center file map used by the reference study.

Every file of the Case Western Reserve University bearing data set is named
``<id>.mat``. The ids below follow the reference study's map: inner race (IR),
ball (B) and outer race (OR, at 6 o'clock for the drive-end faults) at fault
diameters of 0.007, 0.014 and 0.021 inch, for motor loads 0 to 3 HP.
"""

from __future__ import annotations

import pandas as pd

#: Label used for the location and size of a normal (healthy) recording.
NOT_APPLICABLE = "n/a"

#: Names of the three tasks, in the order of the label columns.
TASKS = ("detection", "location", "size")

#: Nominal shaft speed (rpm) per motor load (HP), from the CWRU site.
NOMINAL_RPM = {0: 1797, 1: 1772, 2: 1750, 3: 1730}

# (fault, fault end, sampling rate, fault size in inch) -> ids for loads 0..3
_FAULT_IDS: dict[tuple[str, str, int, str], tuple[int, ...]] = {
    ("IR", "DE", 12000, "007"): (105, 106, 107, 108),
    ("IR", "DE", 12000, "014"): (169, 170, 171, 172),
    ("IR", "DE", 12000, "021"): (209, 210, 211, 212),
    ("B", "DE", 12000, "007"): (118, 119, 120, 121),
    ("B", "DE", 12000, "014"): (185, 186, 187, 188),
    ("B", "DE", 12000, "021"): (222, 223, 224, 225),
    ("OR", "DE", 12000, "007"): (130, 131, 132, 133),
    ("OR", "DE", 12000, "014"): (197, 198, 199, 200),
    ("OR", "DE", 12000, "021"): (234, 235, 236, 237),
    ("IR", "DE", 48000, "007"): (109, 110, 111, 112),
    ("IR", "DE", 48000, "014"): (174, 175, 176, 177),
    ("IR", "DE", 48000, "021"): (213, 214, 215, 217),
    ("B", "DE", 48000, "007"): (122, 123, 124, 125),
    ("B", "DE", 48000, "014"): (189, 190, 191, 192),
    ("B", "DE", 48000, "021"): (226, 227, 228, 229),
    ("OR", "DE", 48000, "007"): (135, 136, 137, 138),
    ("OR", "DE", 48000, "014"): (201, 202, 203, 204),
    ("OR", "DE", 48000, "021"): (238, 239, 240, 241),
    ("IR", "FE", 12000, "007"): (278, 279, 280, 281),
    ("IR", "FE", 12000, "014"): (274, 275, 276, 277),
    ("IR", "FE", 12000, "021"): (270, 271, 272, 273),
    ("B", "FE", 12000, "007"): (282, 283, 284, 285),
    ("B", "FE", 12000, "014"): (286, 287, 288, 289),
    ("B", "FE", 12000, "021"): (290, 291, 292, 293),
    ("OR", "FE", 12000, "007"): (298, 299, 300, 301),
    ("OR", "FE", 12000, "014"): (309, 310, 311, 312),
    ("OR", "FE", 12000, "021"): (315, 316, 317, 318),
}
_NORMAL_IDS = (97, 98, 99, 100)
_NORMAL_RATE = 48000


def _build_catalog() -> pd.DataFrame:
    rows = [
        {
            "cwru_id": cwru_id,
            "fault": "Normal",
            "fault_end": NOT_APPLICABLE,
            "rate_hz": _NORMAL_RATE,
            "load_hp": load,
            "nominal_rpm": NOMINAL_RPM[load],
            "detection": "normal",
            "location": NOT_APPLICABLE,
            "size": NOT_APPLICABLE,
        }
        for load, cwru_id in enumerate(_NORMAL_IDS)
    ]
    for (fault, end, rate, size), ids in _FAULT_IDS.items():
        rows.extend(
            {
                "cwru_id": cwru_id,
                "fault": fault,
                "fault_end": end,
                "rate_hz": rate,
                "load_hp": load,
                "nominal_rpm": NOMINAL_RPM[load],
                "detection": "fault",
                "location": fault,
                "size": size,
            }
            for load, cwru_id in enumerate(ids)
        )
    return pd.DataFrame(rows).sort_values("cwru_id").reset_index(drop=True)


def cwru_catalog() -> pd.DataFrame:
    """Return the CWRU file map as a table, one row per file.

    Returns
    -------
    catalog : pandas.DataFrame
        Columns ``cwru_id``, ``fault`` (``"Normal"``, ``"IR"``, ``"B"`` or
        ``"OR"``), ``fault_end`` (``"DE"``, ``"FE"`` or ``"n/a"``),
        ``rate_hz``, ``load_hp``, ``nominal_rpm`` and the three task labels
        ``detection``, ``location`` and ``size``.

    Examples
    --------
    >>> from tsclf.datasets import cwru_catalog
    >>> catalog = cwru_catalog()
    >>> len(catalog)
    112
    >>> catalog.query("cwru_id == 105")[["fault", "size", "load_hp"]]
      fault size  load_hp
    4    IR  007        0
    """
    return _build_catalog()


def checked_cwru_ids(ids) -> list[int]:
    """Return the ids as ints, after checking each is a catalogued integer.

    ``105``, ``105.0`` and ``"105"`` name recording 105; ``105.9``, ``True``
    and ``"../x"`` are refused rather than truncated or read as paths.
    """
    known = set(cwru_catalog()["cwru_id"])
    checked = []
    for cwru_id in ids:
        try:
            number = float(cwru_id)
        except (TypeError, ValueError):
            number = float("nan")
        if isinstance(cwru_id, bool) or not number.is_integer():
            raise ValueError(f"CWRU ids are integers, got {cwru_id!r}.")
        if int(number) not in known:
            raise ValueError(
                f"CWRU id {cwru_id} is not in the catalogue (see cwru_catalog())."
            )
        checked.append(int(number))
    return checked
