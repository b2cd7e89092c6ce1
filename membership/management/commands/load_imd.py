from membership.census import load_imd
from membership.management.commands._published import LoadPublishedFile


class Command(LoadPublishedFile):
    help = (
        "Load the English Indices of Deprivation 2019, File 1 (CSV): each LSOA's Index of Multiple Deprivation "
        "decile. The file is checked whole first; a bad line and nothing is loaded."
    )
    loader = load_imd
    noun = "LSOAs"
