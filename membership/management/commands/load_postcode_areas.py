from membership.census import load_postcode_areas
from membership.management.commands._published import LoadPublishedFile


class Command(LoadPublishedFile):
    help = (
        "Load which LSOA (2011 and 2021) and local authority each postcode lies in, from the ONS Postcode "
        "Directory CSV (columns pcds, lsoa11, lsoa21, oslaua): how members' postcodes meet the census and the IMD."
    )
    loader = load_postcode_areas
    noun = "postcodes"
