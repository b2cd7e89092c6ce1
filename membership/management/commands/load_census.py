from membership.census import load_census
from membership.management.commands._published import LoadPublishedFile


class Command(LoadPublishedFile):
    help = (
        "Load ONS Census 2021 tables (bulk CSV from Nomis or the ONS: date, geography, geography code, then one "
        "column per category) for age, sex, ethnic group, disability or unpaid care. Each file is checked whole "
        "first; a bad line and nothing of that file is loaded. Loading a file again changes nothing."
    )
    loader = load_census
    noun = "figures"
