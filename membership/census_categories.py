"""The categories members answer in and are compared by: the ONS Census 2021 questions' own
categories, written exactly as the census tables head their columns (after the topic), so a
member's answer and the population's figure meet on the same words.

A member's category may be a group of the table's columns: it then counts every column whose
heading starts with it and a colon (the tables nest "Disabled under the Equality Act: Day-to-day
activities limited a lot" under "Disabled under the Equality Act").
"""

import re

PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_ANSWERED = "Not answered"

ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
WHITE = "White"
OTHER = "Other ethnic group"

# Census 2021 ethnic group (England and Wales), the 19 categories of table TS021.
ETHNIC_GROUPS = (
    f"{ASIAN}: Bangladeshi",
    f"{ASIAN}: Chinese",
    f"{ASIAN}: Indian",
    f"{ASIAN}: Pakistani",
    f"{ASIAN}: Other Asian",
    f"{BLACK}: African",
    f"{BLACK}: Caribbean",
    f"{BLACK}: Other Black",
    f"{MIXED}: White and Asian",
    f"{MIXED}: White and Black African",
    f"{MIXED}: White and Black Caribbean",
    f"{MIXED}: Other Mixed or Multiple ethnic groups",
    f"{WHITE}: English, Welsh, Scottish, Northern Irish or British",
    f"{WHITE}: Irish",
    f"{WHITE}: Gypsy or Irish Traveller",
    f"{WHITE}: Roma",
    f"{WHITE}: Other White",
    f"{OTHER}: Arab",
    f"{OTHER}: Any other ethnic group",
)

# What a member is asked, by census topic (CensusTopic's values). Age is not asked: it comes from
# the date of birth.
ASKED = {
    "sex": ("Female", "Male"),
    "ethnic_group": ETHNIC_GROUPS,
    # Census 2021 TS038: the Equality Act 2010 definition, from the health and activity questions.
    "disability": ("Disabled under the Equality Act", "Not disabled under the Equality Act"),
    # Census 2021 TS039, at the three bands its summary tables use.
    "unpaid_care": (
        "Provides no unpaid care",
        "Provides 19 hours or less unpaid care a week",
        "Provides 20 to 49 hours unpaid care a week",
        "Provides 50 or more hours unpaid care a week",
    ),
}


def choices(topic):
    """A member's choices for `topic`: the census's categories, then Prefer not to say."""
    return [(category, category) for category in (*ASKED[topic], PREFER_NOT_TO_SAY)]


# How a form offers a category, in the words of the census questionnaire itself; the value kept
# is always the table's heading.
SHORT_ANSWERS = {
    "Disabled under the Equality Act": "Yes",
    "Not disabled under the Equality Act": "No",
    "Provides no unpaid care": "No",
    "Provides 19 hours or less unpaid care a week": "Yes, 19 hours a week or less",
    "Provides 20 to 49 hours unpaid care a week": "Yes, 20 to 49 hours a week",
    "Provides 50 or more hours unpaid care a week": "Yes, 50 or more hours a week",
}


def form_choices(topic):
    """`choices(topic)` as a form offers them: ethnic groups under their group's heading (as the
    census form heads them), yes-or-no questions answered yes or no, then Prefer not to say."""
    if topic != "ethnic_group":
        return [(category, SHORT_ANSWERS.get(category, category)) for category in (*ASKED[topic], PREFER_NOT_TO_SAY)]
    groups = {}
    for category in ASKED[topic]:
        group, answer = category.split(": ", 1)
        groups.setdefault(group, []).append((category, answer))
    return [*groups.items(), (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY)]


AGE_BAND = re.compile(r"Aged (?:(\d+) to (\d+) years|(\d+) years and under|(\d+) years and over)$")


def age_band_bounds(category):
    """(lowest age, highest age or None) of a census age band such as 'Aged 15 to 19 years',
    'Aged 4 years and under' or 'Aged 85 years and over'; None for anything else."""
    match = AGE_BAND.match(category)
    if not match:
        return None
    low, high, under, over = match.groups()
    if under:
        return 0, int(under)
    if over:
        return int(over), None
    return int(low), int(high)


def age_band_of(age, bands):
    """The band (of `bands`, census age categories) that `age` falls in, or None."""
    for band in bands:
        low, high = age_band_bounds(band)
        if age >= low and (high is None or age <= high):
            return band
    return None


def counts_towards(category, figure_category):
    """Whether the census figure for `figure_category` counts towards a member's `category`."""
    return figure_category == category or figure_category.startswith(f"{category}:")
