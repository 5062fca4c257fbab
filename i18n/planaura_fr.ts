<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_CA">
<context>
    <name>ChangeMapAlgorithm</name>
    <message>
        <location filename="../processing_provider/change_map.py" line="58"/>
        <source>Before image</source>
        <translation>Image avant</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="59"/>
        <source>After image</source>
        <translation>Image après</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="64"/>
        <source>Before Fmask</source>
        <translation>Fmask avant</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="65"/>
        <source>After Fmask</source>
        <translation>Fmask après</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="70"/>
        <source>Use the quality layers found with the images (HLS Fmask, Sentinel-2 SCL, fmask_&lt;image name&gt;)</source>
        <translation>Utiliser les couches de qualité trouvées avec les images (Fmask HLS, SCL Sentinel-2, fmask_&lt;nom de l'image&gt;)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="72"/>
        <source>Fmask is bitwise (HLS original)</source>
        <translation>Fmask en indicateurs binaires (HLS d'origine)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="74"/>
        <source>Number of shifted predictions</source>
        <translation>Nombre de prédictions décalées</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="76"/>
        <source>Minimum valid fraction of a tile</source>
        <translation>Fraction valide minimale d'une tuile</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="78"/>
        <source>Date regular expression (default: the model&apos;s)</source>
        <translation>Expression régulière de la date (par défaut : celle du modèle)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="80"/>
        <source>Class threshold: no change above</source>
        <translation>Seuil de classe : aucun changement au-dessus de</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="82"/>
        <source>Class threshold: low change above</source>
        <translation>Seuil de classe : changement faible au-dessus de</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="84"/>
        <source>Class threshold: moderate change above</source>
        <translation>Seuil de classe : changement modéré au-dessus de</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="94"/>
        <source>Planaura change map</source>
        <translation>Carte de changement Planaura</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="97"/>
        <source>Change intensity between two dates from Planaura embeddings.</source>
        <translation>Intensité du changement entre deux dates, à partir des plongements Planaura.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="148"/>
        <source>Computes where and how much the land changed between two images of the same place: both dates go through the Planaura encoder together, and each 16 x 16 pixel patch (or each pixel in dense mode) gets the cosine similarity of its two embeddings. 1 means no change, lower values more change, -1 the strongest change. Images are cut in tiles of the model&apos;s size with 50 % overlap, processed in batches and stitched as NRCan&apos;s reference does. The after image is read on the before image&apos;s grid (reprojected when its CRS or resolution differ).</source>
        <translation>Calcule où et à quel point le territoire a changé entre deux images d'un même endroit : les deux dates passent ensemble dans l'encodeur Planaura, et chaque bloc de 16 x 16 pixels (ou chaque pixel en mode dense) reçoit la similarité cosinus de ses deux plongements. 1 signifie aucun changement, les valeurs plus basses plus de changement, -1 le changement le plus fort. Les images sont découpées en tuiles de la taille du modèle avec un chevauchement de 50 %, traitées par lots et raccordées comme le fait l'implémentation de référence de RNCan. L'image après est lue sur la grille de l'image avant (reprojetée si son SCR ou sa résolution diffèrent).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="120"/>
        <source>Optional HLS Fmask rasters; they only feed the quality output. A date without a quality layer is &apos;no information&apos; (255) in the quality output, never &apos;clear&apos;.</source>
        <translation>Rasters Fmask HLS facultatifs; ils ne servent qu'à la sortie de qualité. Une date sans couche de qualité est « pas d'information » (255) dans la sortie de qualité, jamais « dégagée ».</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="122"/>
        <source>When an Fmask is not given, use the quality layer that comes with the image: an HLS granule&apos;s Fmask, a Sentinel-2 product&apos;s SCL, or fmask_&lt;image file name&gt; in the image&apos;s folder (the upstream convention). Untick it to use only the Fmasks given here. The log names each date&apos;s quality source.</source>
        <translation>Si aucun Fmask n'est fourni, utiliser la couche de qualité qui accompagne l'image : le Fmask d'un granule HLS, la SCL d'un produit Sentinel-2 ou fmask_&lt;nom du fichier image&gt; dans le dossier de l'image (la convention de l'implémentation d'origine). Décochez pour n'utiliser que les Fmask fournis ici. Le journal indique la source de qualité de chaque date.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="125"/>
        <source>The Fmask holds HLS bit flags (cloud, adjacent, shadow, snow/ice, aerosol); off when it already holds class codes.</source>
        <translation>Le Fmask contient les indicateurs binaires HLS (nuage, adjacent, ombre, neige/glace, aérosols); à désactiver s'il contient déjà des codes de classe.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="132"/>
        <source>Repeat the tiling with shifts of 0, 64, 128... px and keep, per pixel, the prediction with the largest cosine (upstream&apos;s num_predictions).</source>
        <translation>Répéter le découpage en tuiles avec des décalages de 0, 64, 128... px et garder, pour chaque pixel, la prédiction au cosinus le plus élevé (num_predictions de l'implémentation d'origine).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="135"/>
        <source>A tile is skipped when a date has more nodata than 1 minus this fraction.</source>
        <translation>Une tuile est ignorée quand une date a plus de valeurs nulles (nodata) que 1 moins cette fraction.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="137"/>
        <source>Finds the acquisition date in the file names (YYYYDDD or YYYYMMDD in the first group). Default: the model configuration&apos;s change_map.date_regex, else \.(\d{7})T for HLS and _(\d{8})_ for Sentinel-2.</source>
        <translation>Trouve la date d'acquisition dans les noms de fichiers (AAAAJJJ ou AAAAMMJJ dans le premier groupe). Par défaut : change_map.date_regex de la configuration du modèle, sinon \.(\d{7})T pour HLS et _(\d{8})_ pour Sentinel-2.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="141"/>
        <source>Only process this area (default: the whole before image).</source>
        <translation>Ne traiter que cette zone (par défaut : toute l'image avant).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="157"/>
        <source>Cosine limits of the change classes: 1 no change above the first (0.80), 2 low change down to the second (0.60), 3 moderate down to the third (0.40), 4 high change below.</source>
        <translation>Limites de cosinus des classes de changement : 1 aucun changement au-dessus de la première (0,80), 2 changement faible jusqu'à la deuxième (0,60), 3 modéré jusqu'à la troisième (0,40), 4 changement fort en dessous.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="161"/>
        <source>Which embedding dimensions the embedding outputs keep, e.g. 0,5,17 or 0-15; empty keeps all.</source>
        <translation>Dimensions des plongements conservées dans les sorties de plongements, p. ex. 0,5,17 ou 0-15; vide les garde toutes.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="165"/>
        <source>float32 cosine similarity, nodata -100. Styled dark red (-1) to pale (0.75), transparent from 0.92 to 1.</source>
        <translation>Similarité cosinus float32, nodata -100. Style du rouge foncé (-1) au rose pâle (0,75), transparent de 0,92 à 1.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="168"/>
        <source>int32 YYYYDDD dates of the images used, nodata -100.</source>
        <translation>Dates AAAAJJJ (int32) des images utilisées, nodata -100.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="176"/>
        <source>uint8 change classes: 0 nodata, 1 no change, 2 low, 3 moderate, 4 high.</source>
        <translation>Classes de changement (uint8) : 0 nodata, 1 aucun changement, 2 faible, 3 modéré, 4 fort.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="178"/>
        <source>float32 embeddings, one band per kept dimension (band names f&lt;k&gt;), nodata -100.</source>
        <translation>Plongements float32, une bande par dimension conservée (bandes nommées f&lt;k&gt;), nodata -100.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="180"/>
        <source>The decoder&apos;s reconstruction of each image in the input&apos;s units (a quality check of the model on your data).</source>
        <translation>La reconstruction de chaque image par le décodeur, dans les unités de l'entrée (un contrôle de la qualité du modèle sur vos données).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="184"/>
        <source>Optional outputs left empty are not computed. Every output gets a .qml style beside it.</source>
        <translation>Les sorties facultatives laissées vides ne sont pas calculées. Chaque sortie reçoit un style .qml à côté d'elle.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="267"/>
        <source>Using the Fmask {0}</source>
        <translation>Utilisation du Fmask {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="339"/>
        <source>The class thresholds must decrease: no change &gt; low &gt; moderate, got {0}.</source>
        <translation>Les seuils de classe doivent décroître : aucun changement &gt; faible &gt; modéré; reçu {0}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="315"/>
        <source>No tile could be processed: no change map was written.</source>
        <translation>Aucune tuile n'a pu être traitée : aucune carte de changement n'a été écrite.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="66"/>
        <source>Before image bands (B02, B03, B04, B8A, B11, B12)</source>
        <translation>Bandes de l'image avant (B02, B03, B04, B8A, B11, B12)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="68"/>
        <source>After image bands (B02, B03, B04, B8A, B11, B12)</source>
        <translation>Bandes de l'image après (B02, B03, B04, B8A, B11, B12)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="102"/>
        <source>The earlier image: a raster with the bands B02, B03, B04, B8A, B11, B12 (in this order, or named so in its band descriptions), any band file of an HLS v2.0 granule (its other bands and its Fmask are found beside it), or a Sentinel-2 L2A product (MTD_MSIL2A.xml, the .SAFE folder&apos;s zip). Its grid (CRS, pixels) is the grid of every output.</source>
        <translation>L'image la plus ancienne : un raster avec les bandes B02, B03, B04, B8A, B11, B12 (dans cet ordre, ou nommées ainsi dans ses descriptions de bandes), n'importe quel fichier de bande d'un granule HLS v2.0 (ses autres bandes et son Fmask sont trouvés à côté), ou un produit Sentinel-2 L2A (MTD_MSIL2A.xml, le zip du dossier .SAFE). Sa grille (SCR, pixels) est la grille de toutes les sorties.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="107"/>
        <source>The later image, in any of the same forms.</source>
        <translation>L'image la plus récente, sous l'une des mêmes formes.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="113"/>
        <source>Optional: the image&apos;s bands holding B02, B03, B04, B8A, B11, B12, chosen in this order, for stacks in another order or with more bands. Without them, band descriptions such as B02 or Blue, Red, NIR_Narrow, SWIR1 reorder the bands; otherwise six bands are taken in order. Alpha bands are never model bands: their 0 pixels are nodata.</source>
        <translation>Facultatif : les bandes de l'image qui contiennent B02, B03, B04, B8A, B11, B12, choisies dans cet ordre, pour les piles dans un autre ordre ou avec plus de bandes. Sans elles, les descriptions de bandes comme B02 ou Blue, Red, NIR_Narrow, SWIR1 remettent les bandes en ordre; sinon, six bandes sont prises dans l'ordre. Les bandes alpha ne sont jamais des bandes du modèle : leurs pixels à 0 sont des valeurs nulles (nodata).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="60"/>
        <source>Date of the before image (YYYY-MM-DD)</source>
        <translation>Date de l'image avant (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="62"/>
        <source>Date of the after image (YYYY-MM-DD)</source>
        <translation>Date de l'image après (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="108"/>
        <source>Optional: the acquisition date of an image whose name holds none (e.g. the temporary output of another algorithm in a model), as YYYY-MM-DD. A date given here wins over the date in the name or the product&apos;s metadata; it goes into the date layers and the change map&apos;s metadata, where Persistence mosaic reads it.</source>
        <translation>Facultatif : la date d'acquisition d'une image dont le nom n'en porte pas (p. ex. la sortie temporaire d'un autre algorithme dans un modèle), sous la forme AAAA-MM-JJ. Une date donnée ici l'emporte sur la date du nom ou des métadonnées du produit; elle va dans les couches de dates et dans les métadonnées de la carte de changement, où la mosaïque de persistance la lit.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="170"/>
        <source>uint8 worst Fmask class of the two dates: 0 clear, 1 cloud, 2 adjacent to cloud/shadow, 3 shadow, 4 snow/ice, 6 high aerosol; 255 nodata. When it is not asked for, it is written beside the change map anyway (quality_fmask!... or &lt;name&gt;_quality_fmask.tif, not loaded) and named in the change map&apos;s metadata with the dates, so that Persistence mosaic finds the quality of each pair from the change map alone, in a model too.</source>
        <translation>uint8, pire classe Fmask des deux dates : 0 dégagé, 1 nuage, 2 adjacent à un nuage ou une ombre, 3 ombre, 4 neige ou glace, 6 aérosols élevés; 255 sans données. Même quand elle n'est pas demandée, elle est écrite à côté de la carte de changement (quality_fmask!... ou &lt;name&gt;_quality_fmask.tif, non chargée) et nommée dans les métadonnées de la carte avec les dates, pour que la mosaïque de persistance trouve la qualité de chaque paire à partir de la seule carte de changement, dans un modèle aussi.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_map.py" line="319"/>
        <source>Quality of the pair written beside the change map for Persistence mosaic (not loaded): {0}</source>
        <translation>Qualité de la paire écrite à côté de la carte de changement pour la mosaïque de persistance (non chargée) : {0}</translation>
    </message>
</context>
<context>
    <name>ChangePolygonsAlgorithm</name>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="59"/>
        <source>Change map (cosine map)</source>
        <translation>Carte de changement (carte du cosinus)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="60"/>
        <source>Class thresholds (no change, low, moderate) or one cosine threshold</source>
        <translation>Seuils de classe (aucun changement, faible, modéré) ou un seul seuil de cosinus</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="62"/>
        <source>Minimum area (hectares)</source>
        <translation>Superficie minimale (hectares)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="64"/>
        <source>Simplification tolerance (map units, 0 = none)</source>
        <translation>Tolérance de simplification (unités de la carte, 0 = aucune)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="88"/>
        <source>Change polygons</source>
        <translation>Polygones de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="75"/>
        <source>Area report</source>
        <translation>Rapport des superficies</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="77"/>
        <source>Area report table (CSV)</source>
        <translation>Table du rapport des superficies (CSV)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="80"/>
        <source>Number of change polygons</source>
        <translation>Nombre de polygones de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="81"/>
        <source>Area of the change polygons (ha)</source>
        <translation>Superficie des polygones de changement (ha)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="91"/>
        <source>Polygons of the change patches of a change map, with their areas and an area report.</source>
        <translation>Polygones des taches de changement d'une carte de changement, avec leurs superficies et un rapport des superficies.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="94"/>
        <source>Turns a change map (the change intensity of Planaura change map, or of Persistence mosaic) into polygons: one polygon per connected patch of one change class (pixels touching by a side; pixels that only touch at a corner make two patches), with holes where a patch surrounds other pixels. Only change is kept (classes 2 low, 3 moderate, 4 high); no change and nodata give no polygon. Polygons come from GDAL&apos;s polygonize; the map is read in strips, so large maps need little memory.</source>
        <translation>Transforme une carte de changement (l'intensité du changement de Carte de changement Planaura ou de Mosaïque de persistance) en polygones : un polygone par tache connexe d'une même classe de changement (pixels qui se touchent par un côté; des pixels qui ne se touchent que par un coin forment deux taches), avec des trous là où une tache entoure d'autres pixels. Seul le changement est conservé (classes 2 faible, 3 modéré, 4 fort); l'absence de changement et les valeurs nulles (nodata) ne donnent aucun polygone. Les polygones proviennent de la fonction polygonize de GDAL; la carte est lue par bandes de lignes, si bien que les grandes cartes demandent peu de mémoire.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="102"/>
        <source>A one-band cosine raster (nodata -100).</source>
        <translation>Un raster du cosinus à une bande (nodata -100).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="103"/>
        <source>Three decreasing cosines, default 0.80, 0.60, 0.40: class 1 no change above the first, 2 low change down to the second, 3 moderate down to the third, 4 high change below (the rule of the change classes output). One number instead: change at or below it (class 4).</source>
        <translation>Trois cosinus décroissants, par défaut 0.80, 0.60, 0.40 : classe 1 aucun changement au-dessus du premier, 2 changement faible jusqu'au deuxième, 3 modéré jusqu'au troisième, 4 changement fort en dessous (la règle de la sortie des classes de changement). Un seul nombre à la place : changement à cette valeur ou en dessous (classe 4).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="107"/>
        <source>Polygons smaller than this are left out (the report counts them).</source>
        <translation>Les polygones plus petits que cette valeur sont exclus (le rapport les compte).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="108"/>
        <source>Only analyse this area (default: the whole map).</source>
        <translation>N'analyser que cette zone (par défaut : toute la carte).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="109"/>
        <source>Only analyse the pixels whose centre lies in these polygons (any CRS).</source>
        <translation>N'analyser que les pixels dont le centre se trouve dans ces polygones (tout SCR).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="111"/>
        <source>Simplify the polygon outlines with this tolerance, in the unit of the change map&apos;s CRS (metres, degrees...), keeping each polygon valid (neighbouring polygons may then slightly overlap or leave gaps). Areas are those of the unsimplified patches. A tolerance of more than 100 pixels is refused (metres given for a map in degrees), of more than 10 pixels warned about.</source>
        <translation>Simplifier les contours des polygones avec cette tolérance, dans l&apos;unité du SCR de la carte de changement (mètres, degrés...), en gardant chaque polygone valide (des polygones voisins peuvent alors se chevaucher légèrement ou laisser des vides). Les superficies sont celles des taches non simplifiées. Une tolérance de plus de 100 pixels est refusée (des mètres donnés pour une carte en degrés), une de plus de 10 pixels fait l&apos;objet d&apos;un avertissement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="114"/>
        <source>Layers on the change map&apos;s grid; when left empty they are found beside the change map (its metadata or upstream file names such as mosaic_persistence_&lt;postfix&gt;_c.tif).</source>
        <translation>Couches sur la grille de la carte de changement; laissées vides, elles sont trouvées à côté de la carte de changement (par ses métadonnées ou par les noms de fichiers de l'implémentation d'origine, comme mosaic_persistence_&lt;postfix&gt;_c.tif).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="123"/>
        <source>Polygons in the change map&apos;s CRS (GeoPackage by default) with the fields class, area_ha (hectares, true area on the ellipsoid of the map&apos;s CRS whatever its projection), mean_cos, min_cos, pixels, before_date, after_date (the most frequent date of the patch) and, for a mosaic, persistence (the smallest number of pairs over the patch).</source>
        <translation>Polygones dans le SCR de la carte de changement (GeoPackage par défaut) avec les champs class, area_ha (hectares, superficie vraie sur l&apos;ellipsoïde du SCR de la carte, quelle que soit sa projection), mean_cos, min_cos, pixels, before_date, after_date (la date la plus fréquente de la tache) et, pour une mosaïque, persistence (le plus petit nombre de paires sur la tache).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="128"/>
        <source>An HTML page: area per class in hectares and in % of the analysed area, the largest patches, a histogram of the cosines, the dates, images, model and checkpoint of the change map and the parameters. A CSV of the areas per class and the PNG histogram are written beside it.</source>
        <translation>Une page HTML : la superficie par classe en hectares et en % de la superficie analysée, les plus grandes taches, un histogramme des cosinus, les dates, les images, le modèle et le fichier de poids de la carte de changement, ainsi que les paramètres. Un CSV des superficies par classe et l'histogramme PNG sont écrits à côté.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="158"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="172"/>
        <source>Class thresholds: &apos;{0}&apos; is not a list of numbers such as 0.80, 0.60, 0.40 or a single 0.5.</source>
        <translation>Seuils de classe : « {0} » n'est pas une liste de nombres comme 0.80, 0.60, 0.40 ni un nombre seul comme 0.5.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="206"/>
        <source>Change polygons: save them to a file (.gpkg), not into a database table ({0}).</source>
        <translation>Polygones de changement : enregistrez-les dans un fichier (.gpkg), et non dans une table de base de données ({0}).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="250"/>
        <source>Change polygons ({0})</source>
        <translation>Polygones de changement ({0})</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="63"/>
        <source>Mask polygons</source>
        <translation>Polygones de masque</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="66"/>
        <source>Persistence layer (mosaic)</source>
        <translation>Couche de persistance (mosaïque)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="68"/>
        <source>Before date layer</source>
        <translation>Couche de date avant</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="70"/>
        <source>After date layer</source>
        <translation>Couche de date après</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="72"/>
        <source>Change types layer</source>
        <translation>Couche des types de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="78"/>
        <source>Area per change type (CSV)</source>
        <translation>Superficie par type de changement (CSV)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="117"/>
        <source>The change types of the same pair (Change types, on the change map&apos;s grid); when left empty, upstream&apos;s change_types!&lt;a&gt;!&lt;b&gt;.tif beside cosine_map!&lt;a&gt;!&lt;b&gt;.tif is used if it exists. The report then also gives the area of each change type.</source>
        <translation>Les types de changement de la même paire (Types de changement, sur la grille de la carte de changement); laissé vide, le change_types!&lt;a&gt;!&lt;b&gt;.tif d'amont à côté de cosine_map!&lt;a&gt;!&lt;b&gt;.tif est utilisé s'il existe. Le rapport donne alors aussi la superficie de chaque type de changement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="132"/>
        <source>With change types: &lt;report&gt;_types.csv, pixels, hectares and % of the analysed area per type (-1: changed pixels of no type).</source>
        <translation>Avec des types de changement : &lt;rapport&gt;_types.csv, pixels, hectares et % de la superficie analysée par type (-1 : pixels changés sans type).</translation>
    </message>
</context>
<context>
    <name>ChangeTypesAlgorithm</name>
    <message>
        <location filename="../processing_provider/change_types.py" line="37"/>
        <source>Largest cosine of a changed pixel (max_similarity)</source>
        <translation>Plus grand cosinus d'un pixel changé (max_similarity)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="39"/>
        <source>Smallest change type (min_cluster_size, pixels of the sample)</source>
        <translation>Plus petit type de changement (min_cluster_size, pixels de l'échantillon)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="41"/>
        <source>Principal components clustered (0 = all embedding channels)</source>
        <translation>Composantes principales regroupées (0 = tous les canaux d'embedding)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="41"/>
        <source>Random seed of the sample</source>
        <translation>Graine aléatoire de l'échantillon</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="42"/>
        <source>Change types of an earlier run (.types.json)</source>
        <translation>Types de changement d'une exécution antérieure (.types.json)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="53"/>
        <source>Change types</source>
        <translation>Types de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="45"/>
        <source>Change types file (JSON)</source>
        <translation>Fichier des types de changement (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="47"/>
        <source>Number of change types</source>
        <translation>Nombre de types de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="56"/>
        <source>Groups the changed pixels of a pair into types of change (HDBSCAN on embedding differences).</source>
        <translation>Regroupe les pixels changés d'une paire en types de changement (HDBSCAN sur les différences d'embeddings).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="59"/>
        <source>Runs the pair through the Planaura encoder as Planaura change map does, then groups the changed pixels (16 px patches in fast mode) by the kind of their change: each pixel whose cosine is below the largest cosine gets the difference of its two embeddings (after minus before, the information the cosine leaves out), and these directions are clustered with HDBSCAN (scikit-learn). A burn scar, a clearing and a flooded field give different types. At most 20 000 changed pixels, drawn with the seed, are clustered; every changed pixel is then given the nearest type, or -1 (noise) when it is far from all. The same seed gives the same types.</source>
        <translation>Passe la paire dans l'encodeur Planaura comme le fait Carte de changement Planaura, puis regroupe les pixels changés (tuiles de 16 px en mode rapide) selon la nature de leur changement : chaque pixel dont le cosinus est inférieur au plus grand cosinus reçoit la différence de ses deux embeddings (après moins avant, l'information que le cosinus laisse de côté), et ces directions sont regroupées avec HDBSCAN (scikit-learn). Une brûlure, une coupe et un champ inondé donnent des types différents. Au plus 20 000 pixels changés, tirés avec la graine, sont regroupés; chaque pixel changé reçoit ensuite le type le plus proche, ou -1 (bruit) s'il est loin de tous. La même graine donne les mêmes types.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="74"/>
        <source>HDBSCAN&apos;s min_cluster_size: a type needs at least this many pixels of the sample (upstream&apos;s change_map.cluster.min_cluster_size, default 20). Larger values give fewer, broader types.</source>
        <translation>Le min_cluster_size de HDBSCAN : un type compte au moins ce nombre de pixels de l'échantillon (change_map.cluster.min_cluster_size d'amont, 20 par défaut). Une valeur plus grande donne des types moins nombreux et plus larges.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="76"/>
        <source>The change directions are projected on their first principal components (PCA of the sample) before HDBSCAN groups them (default 16): in 768 channels the distances of the raw directions are all alike and kinds of change merge or become noise. The types themselves (mean direction, radius) are kept in the full embedding space. 0 clusters all channels.</source>
        <translation>Les directions de changement sont projetées sur leurs premières composantes principales (ACP de l'échantillon) avant que HDBSCAN ne les regroupe (16 par défaut) : en 768 canaux, les distances entre directions brutes se ressemblent toutes, et des natures de changement différentes se confondent ou deviennent du bruit. Les types eux-mêmes (direction moyenne, rayon) restent dans l'espace complet des embeddings. 0 regroupe tous les canaux.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="77"/>
        <source>Which changed pixels are sampled for the clustering.</source>
        <translation>Détermine les pixels changés tirés pour le regroupement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="78"/>
        <source>The .types.json written beside the change types of an earlier run: no clustering, the changed pixels are given those types (same model and embedding channels), so that type 0 means the same change in both runs.</source>
        <translation>Le .types.json écrit à côté des types de changement d'une exécution antérieure : sans regroupement, les pixels changés reçoivent ces types (même modèle et mêmes dimensions d'embedding), de sorte que le type 0 désigne le même changement dans les deux exécutions.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="84"/>
        <source>int16 change type per pixel on the grid of the change map: 0, 1, ... (largest type first), -1 changed but of no type (noise), nodata -100 where there is no change or no data. Styled with one colour per type, noise grey.</source>
        <translation>Type de changement int16 par pixel sur la grille de la carte de changement : 0, 1, ... (le plus grand type d'abord), -1 changé mais sans type (bruit), sans donnée -100 là où il n'y a ni changement ni donnée. Une couleur par type, le bruit en gris.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="88"/>
        <source>&lt;output&gt;.types.json: per type its mean embedding difference, mean direction, radius, pixels and area in hectares; give it as the earlier run&apos;s types to another run.</source>
        <translation>&lt;sortie&gt;.types.json : par type, sa différence moyenne d'embeddings, sa direction moyenne, son rayon, ses pixels et sa superficie en hectares; donnez-le comme types d'une exécution antérieure à une autre exécution.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="105"/>
        <source>Change types (*.types.json *.json)</source>
        <translation>Types de changement (*.types.json *.json)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="119"/>
        <source>Change types of an earlier run: {0} does not exist; give the .types.json written beside that run&apos;s change types, or leave the parameter empty to find new types.</source>
        <translation>Types de changement d'une exécution antérieure : {0} n'existe pas; donnez le .types.json écrit à côté des types de changement de cette exécution, ou laissez le paramètre vide pour trouver de nouveaux types.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="137"/>
        <source>No tile could be processed: no change types were written.</source>
        <translation>Aucune tuile n'a pu être traitée : aucun type de changement n'a été écrit.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="140"/>
        <source>{0} change type(s) in {1}</source>
        <translation>{0} type(s) de changement dans {1}</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_types.py" line="69"/>
        <source>Patches of the model&apos;s stride (16 x 16 px; single pixels in dense mode) whose cosine of their embeddings is below this are changed and get a type; the others are nodata (upstream&apos;s change_map.cluster.max_similarity, default 0.6). Types are whole patches, also on an upsampled grid, so they do not follow the upsampled change map pixel for pixel.</source>
        <translation>Les blocs au pas du modèle (16 x 16 px; des pixels isolés en mode dense) dont le cosinus des plongements est inférieur à cette valeur sont considérés comme changés et reçoivent un type; les autres sont nodata (change_map.cluster.max_similarity de l'implémentation d'origine, 0,6 par défaut). Les types couvrent des blocs entiers, même sur une grille suréchantillonnée : ils ne suivent donc pas pixel par pixel la carte de changement suréchantillonnée.</translation>
    </message>
</context>
<context>
    <name>DownloadWeightsTask</name>
    <message>
        <location filename="../ui/tasks.py" line="30"/>
        <source>Downloading the Planaura weights {0}</source>
        <translation>Téléchargement des poids Planaura {0}</translation>
    </message>
</context>
<context>
    <name>EmbeddingsAlgorithm</name>
    <message>
        <location filename="../processing_provider/embeddings.py" line="33"/>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="38"/>
        <source>Minimum valid fraction of a tile</source>
        <translation>Fraction valide minimale d'une tuile</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="42"/>
        <source>Date regular expression (default: the model&apos;s)</source>
        <translation>Expression régulière de la date (par défaut : celle du modèle)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="44"/>
        <source>Embeddings</source>
        <translation>Plongements (embeddings)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="45"/>
        <source>Embeddings table (CSV, GeoParquet or GeoPackage points)</source>
        <translation>Table des plongements (points CSV, GeoParquet ou GeoPackage)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="52"/>
        <source>Planaura embeddings</source>
        <translation>Plongements (embeddings) Planaura</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="55"/>
        <source>Planaura encoder features of an image, per 16 px patch or per pixel.</source>
        <translation>Caractéristiques de l'encodeur Planaura pour une image, par bloc de 16 px ou par pixel.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="58"/>
        <source>Runs the Planaura encoder over an image and writes its embeddings: one vector of 768 numbers (for Planaura-1.0) per 16 x 16 pixel patch, or per pixel in dense mode. Use them for clustering, similarity search or as features of a classifier. Alone, the image is encoded in static mode (one frame, computed position embeddings, as upstream requires); with a second date, both are encoded together and the embeddings of the first image are written.</source>
        <translation>Passe une image dans l'encodeur Planaura et écrit ses plongements : un vecteur de 768 nombres (pour Planaura-1.0) par bloc de 16 x 16 pixels, ou par pixel en mode dense. Utilisez-les pour le regroupement, la recherche par similarité ou comme variables d'un classificateur. Seule, l'image est encodée en mode statique (une seule trame, plongements de position calculés, comme l'exige l'implémentation d'origine); avec une deuxième date, les deux sont encodées ensemble et les plongements de la première image sont écrits.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="71"/>
        <source>Another date of the same place, read on the image&apos;s grid; the embeddings then carry the bi-temporal context of the pair (frame 0 = the image, frame 1 = this one).</source>
        <translation>Une autre date du même endroit, lue sur la grille de l'image; les plongements portent alors le contexte bitemporel de la paire (trame 0 = l'image, trame 1 = celle-ci).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="77"/>
        <source>Which dimensions to keep, e.g. 0,5,17 or 0-15; empty keeps all (768 for Planaura-1.0).</source>
        <translation>Dimensions à conserver, p. ex. 0,5,17 ou 0-15; vide les garde toutes (768 pour Planaura-1.0).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="79"/>
        <source>Only process this area (default: the whole image).</source>
        <translation>Ne traiter que cette zone (par défaut : toute l'image).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="80"/>
        <source>A tile is skipped when it has more nodata than 1 minus this fraction.</source>
        <translation>Une tuile est ignorée quand elle a plus de valeurs nulles (nodata) que 1 moins cette fraction.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="82"/>
        <source>Finds the date in the file names of a pair.</source>
        <translation>Trouve la date dans les noms de fichiers d'une paire.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="89"/>
        <source>float32 raster, one band per kept dimension named f&lt;k&gt;, nodata -100 where a patch touches nodata.</source>
        <translation>Raster float32, une bande nommée f&lt;k&gt; par dimension conservée, nodata -100 là où un bloc touche des valeurs nulles.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="92"/>
        <source>One row per map pixel with its x, y and f&lt;k&gt; columns: CSV, GeoParquet (.parquet, needs pyarrow) or GeoPackage points (.gpkg), chosen by the file extension.</source>
        <translation>Une ligne par pixel de la carte avec ses colonnes x, y et f&lt;k&gt; : CSV, GeoParquet (.parquet, nécessite pyarrow) ou points GeoPackage (.gpkg), selon l'extension du fichier.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="117"/>
        <source>CSV (*.csv);;GeoParquet (*.parquet *.geoparquet);;GeoPackage (*.gpkg)</source>
        <translation>CSV (*.csv);;GeoParquet (*.parquet *.geoparquet);;GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="169"/>
        <source>The embeddings table must end in .csv, .parquet, .geoparquet or .gpkg, got {0}.</source>
        <translation>La table des plongements doit se terminer par .csv, .parquet, .geoparquet ou .gpkg; reçu {0}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="188"/>
        <source>No tile could be processed: no embeddings were written.</source>
        <translation>Aucune tuile n'a pu être traitée : aucun plongement n'a été écrit.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="196"/>
        <source>Embeddings {0}</source>
        <translation>Plongements {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="198"/>
        <source>Embeddings {0} (with {1})</source>
        <translation>Plongements {0} (avec {1})</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="36"/>
        <source>Image bands (B02, B03, B04, B8A, B11, B12)</source>
        <translation>Bandes de l'image (B02, B03, B04, B8A, B11, B12)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="65"/>
        <source>The image: a raster with the bands B02, B03, B04, B8A, B11, B12, any band file of an HLS v2.0 granule, or a Sentinel-2 L2A product; its grid is the output&apos;s grid.</source>
        <translation>L'image : un raster avec les bandes B02, B03, B04, B8A, B11, B12, n'importe quel fichier de bande d'un granule HLS v2.0, ou un produit Sentinel-2 L2A; sa grille est la grille de la sortie.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="68"/>
        <source>Optional: the image&apos;s bands holding B02, B03, B04, B8A, B11, B12, chosen in this order, for stacks in another order or with more bands (band descriptions are used otherwise).</source>
        <translation>Facultatif : les bandes de l'image qui contiennent B02, B03, B04, B8A, B11, B12, choisies dans cet ordre, pour les piles dans un autre ordre ou avec plus de bandes (sinon, les descriptions de bandes sont utilisées).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="129"/>
        <source>The GeoParquet table {0}</source>
        <translation>La table GeoParquet {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="34"/>
        <source>Second date (bi-temporal context)</source>
        <translation>Deuxième date (contexte bitemporel)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="40"/>
        <source>Date of the image (YYYY-MM-DD)</source>
        <translation>Date de l'image (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="83"/>
        <source>Optional: the image&apos;s acquisition date when its name holds none (e.g. a temporary output in a model), as YYYY-MM-DD; written into the embeddings&apos; metadata and used in the layer name.</source>
        <translation>Facultatif : la date d'acquisition de l'image quand son nom n'en porte pas (p. ex. une sortie temporaire dans un modèle), sous la forme AAAA-MM-JJ; écrite dans les métadonnées des plongements et utilisée dans le nom de la couche.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="230"/>
        <source>one value per {0} x {0} px patch</source>
        <translation>une valeur par bloc de {0} x {0} px</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="231"/>
        <source>one value per pixel</source>
        <translation>une valeur par pixel</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="232"/>
        <source>Embeddings raster: about {0} ({1} dimensions, {2}, {3} x {4} px).</source>
        <translation>Raster des plongements (embeddings) : environ {0} ({1} dimensions, {2}, {3} x {4} px).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embeddings.py" line="235"/>
        <source>The embeddings raster will take about {0} on disk and in memory while written: keep fewer dimensions (e.g. 0-15), a smaller area, or the 16 px stride without upsampling.</source>
        <translation>Le raster des plongements (embeddings) occupera environ {0} sur le disque, et en mémoire pendant son écriture : gardez moins de dimensions (p. ex. 0-15), une zone plus petite, ou le pas de 16 px sans suréchantillonnage.</translation>
    </message>
</context>
<context>
    <name>InstallDependenciesTask</name>
    <message>
        <location filename="../ui/tasks.py" line="65"/>
        <source>Installing the Planaura dependencies</source>
        <translation>Installation des dépendances de Planaura</translation>
    </message>
</context>
<context>
    <name>PersistenceMosaicAlgorithm</name>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="77"/>
        <source>Change maps (cosine maps)</source>
        <translation>Cartes de changement (cartes du cosinus)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="97"/>
        <source>Target CRS</source>
        <translation>SCR cible</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="98"/>
        <source>Target resolution (target CRS units)</source>
        <translation>Résolution cible (unités du SCR cible)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="128"/>
        <source>Persistence mosaic</source>
        <translation>Mosaïque de persistance</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="131"/>
        <source>Merge change maps of several pairs; count how many pairs cover each pixel.</source>
        <translation>Fusionne les cartes de changement de plusieurs paires; compte combien de paires couvrent chaque pixel.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="134"/>
        <source>Merges the change maps of several pairs (other dates, overlapping tiles) onto one grid, as NRCan&apos;s persistence mosaic: per pixel, the pair with the largest cosine (the least change) wins, so a change that persists in every pair remains, while a change seen in only one pair (a cloud, a seasonal effect) is replaced. The dates, quality, images and embeddings of the winning pair follow it. When only change maps are given, their companion layers are found automatically: by upstream names (before_date!A!B.tif beside cosine_map!A!B.tif) or by the metadata that Planaura change map writes into its outputs, so a graphical model can chain them.</source>
        <translation>Fusionne sur une seule grille les cartes de changement de plusieurs paires (autres dates, tuiles qui se chevauchent), comme la mosaïque de persistance de RNCan : pour chaque pixel, la paire au cosinus le plus élevé (le moins de changement) l'emporte; un changement qui persiste dans toutes les paires demeure, tandis qu'un changement vu dans une seule paire (un nuage, un effet saisonnier) est remplacé. Les dates, la qualité, les images et les plongements de la paire gagnante la suivent. Quand seules les cartes de changement sont fournies, leurs couches associées sont trouvées automatiquement : par les noms de l'implémentation d'origine (before_date!A!B.tif à côté de cosine_map!A!B.tif) ou par les métadonnées que la carte de changement Planaura écrit dans ses sorties, ce qui permet de les enchaîner dans un modèle graphique.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="143"/>
        <source>The cosine maps of the pairs.</source>
        <translation>Les cartes du cosinus des paires.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="144"/>
        <source>The date and quality layers of each pair, in the order of the change maps; leave empty to use the ones found automatically.</source>
        <translation>Les couches de dates et de qualité de chaque paire, dans l'ordre des cartes de changement; laisser vide pour utiliser celles trouvées automatiquement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="147"/>
        <source>The before and after images of each pair, in the same order; they feed the mosaic images.</source>
        <translation>Les images avant et après de chaque paire, dans le même ordre; elles alimentent les images de la mosaïque.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="149"/>
        <source>The embedding rasters of each pair, in the same order.</source>
        <translation>Les rasters de plongements de chaque paire, dans le même ordre.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="151"/>
        <source>Images among which the before/after images of each pair are found by date or name.</source>
        <translation>Images parmi lesquelles les images avant et après de chaque paire sont trouvées par date ou par nom.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="153"/>
        <source>Finds the dates in the image names (default: the HLS, then the Sentinel-2 convention).</source>
        <translation>Trouve les dates dans les noms des images (par défaut : la convention HLS, puis celle de Sentinel-2).</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="113"/>
        <source>float32 cosine of the winning pair (can slightly exceed 1 after cubic resampling), nodata -100.</source>
        <translation>Cosinus float32 de la paire gagnante (peut légèrement dépasser 1 après un rééchantillonnage cubique), nodata -100.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="115"/>
        <source>uint16 number of pairs with a value at the pixel, nodata 0.</source>
        <translation>Nombre (uint16) de paires ayant une valeur au pixel, nodata 0.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="110"/>
        <source>int32 YYYYDDD dates of the winning pair.</source>
        <translation>Dates AAAAJJJ (int32) de la paire gagnante.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="118"/>
        <source>uint8 Fmask class of the winning pair, nodata 255.</source>
        <translation>Classe Fmask (uint8) de la paire gagnante, nodata 255.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="111"/>
        <source>int16 6-band images of the winning pair&apos;s dates.</source>
        <translation>Images int16 à 6 bandes des dates de la paire gagnante.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="121"/>
        <source>float32 embeddings of the winning pair.</source>
        <translation>Plongements float32 de la paire gagnante.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="166"/>
        <source>An output that the pairs cannot provide (e.g. dates without date layers) is an error; optional outputs left empty are not computed.</source>
        <translation>Une sortie que les paires ne peuvent pas fournir (p. ex. des dates sans couches de dates) est une erreur; les sorties facultatives laissées vides ne sont pas calculées.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="240"/>
        <source>The target CRS is not valid.</source>
        <translation>Le SCR cible n'est pas valide.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="306"/>
        <source>Give at least one change map.</source>
        <translation>Fournissez au moins une carte de changement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="314"/>
        <source>{0}: {1} layer(s) for {2} change map(s); give one per change map, in the same order.</source>
        <translation>{0} : {1} couche(s) pour {2} carte(s) de changement; fournissez-en une par carte de changement, dans le même ordre.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="159"/>
        <source>Square pixel size of the mosaic, in the units of the target CRS (default 30; when no value is given and the target CRS is not in metres, e.g. degrees, the pixel size of the change maps in those units). A size that the target CRS&apos;s units make impossible (e.g. 30 degrees) is refused with a suggested value.</source>
        <translation>Taille des pixels carrés de la mosaïque, dans les unités du SCR cible (par défaut 30; si aucune valeur n'est donnée et que le SCR cible n'est pas en mètres, p. ex. en degrés, la taille des pixels des cartes de changement dans ces unités). Une taille que les unités du SCR cible rendent impossible (p. ex. 30 degrés) est refusée, avec une valeur suggérée.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="294"/>
        <source>{0}: {1} is read through {2}</source>
        <translation>{0} : {1} est lu au moyen de {2}</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="79"/>
        <source>Before dates (same order)</source>
        <translation>Dates avant (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="81"/>
        <source>After dates (same order)</source>
        <translation>Dates après (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="83"/>
        <source>Quality layers (same order)</source>
        <translation>Couches de qualité (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="85"/>
        <source>Before images (same order)</source>
        <translation>Images avant (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="87"/>
        <source>After images (same order)</source>
        <translation>Images après (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="89"/>
        <source>Embeddings of the before images (same order)</source>
        <translation>Plongements des images avant (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="91"/>
        <source>Embeddings of the after images (same order)</source>
        <translation>Plongements des images après (même ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="93"/>
        <source>Input images searched by date</source>
        <translation>Images d'entrée recherchées par date</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="95"/>
        <source>Date regular expression of the input images</source>
        <translation>Expression régulière de date des images d'entrée</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="155"/>
        <source>CRS of the mosaic. Default: the CRS of the change maps (the first one&apos;s when they differ, with a warning). For change maps in several UTM zones of Canada, EPSG:3979 (Canada Atlas Lambert, upstream&apos;s choice) is a good target.</source>
        <translation>SCR de la mosaïque. Par défaut : le SCR des cartes de changement (celui de la première quand ils diffèrent, avec un avertissement). Pour des cartes de changement de plusieurs zones UTM du Canada, EPSG:3979 (Lambert de l'Atlas du Canada, le choix de l'implémentation d'origine) est une bonne cible.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="228"/>
        <source>The change maps have no CRS: give the target CRS (e.g. {0}).</source>
        <translation>Les cartes de changement n'ont pas de SCR : donnez le SCR cible (p. ex. {0}).</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="231"/>
        <source>The change maps are in {0} different CRSs; the mosaic uses the first one&apos;s ({1}). Give the target CRS to choose another, e.g. {2} (Canada Atlas Lambert) across UTM zones.</source>
        <translation>Les cartes de changement sont dans {0} SCR différents; la mosaïque utilise celui de la première ({1}). Donnez le SCR cible pour en choisir un autre, p. ex. {2} (Lambert de l'Atlas du Canada) entre zones UTM.</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="236"/>
        <source>Target CRS: the change maps&apos; ({0}).</source>
        <translation>SCR cible : celui des cartes de changement ({0}).</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="353"/>
        <source>{0} (from the change map&apos;s dates)</source>
        <translation>{0} (d'après les dates de la carte de changement)</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="356"/>
        <source>Pair {0}: {1} ({2})</source>
        <translation>Paire {0} : {1} ({2})</translation>
    </message>
    <message>
        <location filename="../processing_provider/persistence_mosaic.py" line="381"/>
        <source>The pair of {0} cannot provide {1}: its change map carries no such layer nor dates in its metadata, and that pair&apos;s pixels would be nodata in the mosaic. Give the layers in Before dates / After dates / Quality layers (same order as the change maps), or make the change map with Planaura change map (with the dates of images whose names hold none).</source>
        <translation>La paire de {0} ne peut pas fournir {1} : sa carte de changement ne porte ni cette couche ni de dates dans ses métadonnées, et les pixels de cette paire seraient sans données dans la mosaïque. Donnez les couches dans Dates avant / Dates après / Couches de qualité (dans l'ordre des cartes de changement), ou faites la carte de changement avec Carte de changement Planaura (avec les dates des images dont le nom n'en porte pas).</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="47"/>
        <source>Planaura needs PyTorch, which cannot be imported in QGIS&apos;s Python ({0}).</source>
        <translation>Planaura a besoin de PyTorch, qui ne peut pas être importé dans le Python de QGIS ({0}).</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="63"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="64"/>
        <source>Checkpoint file (overrides the download)</source>
        <translation>Fichier de poids (remplace le téléchargement)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="66"/>
        <source>Model configuration (upstream YAML)</source>
        <translation>Configuration du modèle (YAML de l'implémentation d'origine)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="68"/>
        <source>Patch stride</source>
        <translation>Pas des blocs</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="69"/>
        <source>Upsample to the input resolution (fast mode)</source>
        <translation>Suréchantillonner à la résolution de l'entrée (mode rapide)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="71"/>
        <source>Device</source>
        <translation>Processeur de calcul</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="72"/>
        <source>Half precision (float16, GPU only)</source>
        <translation>Demi-précision (float16, GPU seulement)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="77"/>
        <source>Batch size (tiles per step)</source>
        <translation>Taille des lots (tuiles par étape)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="78"/>
        <source>Area of interest</source>
        <translation>Zone d'intérêt</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="79"/>
        <source>Embedding dimensions (e.g. 0,5,17; empty = all)</source>
        <translation>Dimensions des plongements (p. ex. 0,5,17; vide = toutes)</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="56"/>
        <source>Change detection</source>
        <translation>Détection des changements</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="57"/>
        <source>Embeddings</source>
        <translation>Plongements (embeddings)</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="58"/>
        <source>Upstream configuration</source>
        <translation>Configuration de l'implémentation d'origine</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="81"/>
        <source>Reading a YAML configuration needs PyYAML.</source>
        <translation>La lecture d'une configuration YAML nécessite PyYAML.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="122"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="122"/>
        <source>Weights</source>
        <translation>Poids</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="122"/>
        <source>Outputs</source>
        <translation>Sorties</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="138"/>
        <source>Planaura-1.0-HLS expects HLS surface reflectance (int16 x 10000, nodata -9999) and Planaura-1.0-S2 Sentinel-2 L2A (uint16, nodata 0), both with the 6 bands B02, B03, B04, B8A, B11, B12 in this order. The weights (about 450 MB each, from the Hugging Face repository NRCan/Planaura-1.0) are taken from, in this order: the checkpoint file parameter, the checkpoint path set in Plugins &gt; Planaura &gt; Settings, the Hugging Face cache, a download. A custom checkpoint needs a model configuration (upstream YAML) whose model_params give its architecture, bands, nodata, data_mean and data_std.</source>
        <translation>Planaura-1.0-HLS attend la réflectance de surface HLS (int16 x 10000, nodata -9999) et Planaura-1.0-S2 des images Sentinel-2 L2A (uint16, nodata 0), toutes deux avec les 6 bandes B02, B03, B04, B8A, B11, B12 dans cet ordre. Les poids (environ 450 Mo chacun, du dépôt Hugging Face NRCan/Planaura-1.0) sont pris, dans l'ordre : du paramètre Fichier de poids, du chemin défini dans Extensions &gt; Planaura &gt; Paramètres, du cache Hugging Face, puis d'un téléchargement. Un fichier de poids personnalisé exige une configuration du modèle (YAML de l'implémentation d'origine) dont les model_params donnent l'architecture, les bandes, la valeur nodata, data_mean et data_std.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="154"/>
        <source>A local .pth checkpoint used instead of the published weights.</source>
        <translation>Un fichier de poids .pth local utilisé à la place des poids publiés.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="156"/>
        <source>An upstream Planaura YAML: its model_params give the architecture, bands, no_data, data_mean and data_std; its change_map.date_regex is the default date regex.</source>
        <translation>Un YAML Planaura de l'implémentation d'origine : ses model_params donnent l'architecture, les bandes, no_data, data_mean et data_std; son change_map.date_regex est l'expression régulière de date par défaut.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="163"/>
        <source>auto uses a CUDA GPU when torch sees one, else the CPU. Default from the plugin settings.</source>
        <translation>auto utilise un GPU CUDA quand torch en voit un, sinon le CPU. Valeur par défaut tirée des paramètres de l'extension.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="165"/>
        <source>float16 inference on a GPU: about twice as fast, results differ slightly. Ignored on the CPU.</source>
        <translation>Inférence en float16 sur un GPU : environ deux fois plus rapide, résultats légèrement différents. Ignoré sur le CPU.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="170"/>
        <source>Tiles per model call; lower it when the GPU runs out of memory.</source>
        <translation>Tuiles par appel du modèle; réduisez cette valeur quand le GPU manque de mémoire.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="176"/>
        <source>16 px (fast): one feature per 16 x 16 patch. 1 px (dense): one feature per pixel, 256 times the work (use a GPU).</source>
        <translation>16 px (rapide) : une caractéristique par bloc de 16 x 16. 1 px (dense) : une caractéristique par pixel, 256 fois plus de calcul (utilisez un GPU).</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="179"/>
        <source>In fast mode, resample the 16 px map to the input pixels with cubic splines (upstream&apos;s upsample_cosine_map); otherwise the map has 16 times larger pixels.</source>
        <translation>En mode rapide, rééchantillonner la carte de 16 px sur les pixels de l'entrée par splines cubiques (upsample_cosine_map de l'implémentation d'origine); sinon, les pixels de la carte sont 16 fois plus grands.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="186"/>
        <source>Custom checkpoint</source>
        <translation>Fichier de poids personnalisé</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="191"/>
        <source>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</source>
        <translation>Poids PyTorch (*.pth *.pt *.ckpt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="195"/>
        <source>YAML files (*.yaml *.yml);;All files (*)</source>
        <translation>Fichiers YAML (*.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="200"/>
        <source>16 px (fast)</source>
        <translation>16 px (rapide)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="200"/>
        <source>1 px (dense)</source>
        <translation>1 px (dense)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="208"/>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="208"/>
        <source>cpu</source>
        <translation>cpu</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="208"/>
        <source>cuda</source>
        <translation>cuda</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="263"/>
        <source>{0}: no raster layer given or it cannot be opened.</source>
        <translation>{0} : aucune couche raster fournie, ou elle ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="279"/>
        <source>{0}: Planaura writes GeoTIFF files; give a file name ending in .tif ({1}).</source>
        <translation>{0} : Planaura écrit des fichiers GeoTIFF; indiquez un nom de fichier se terminant par .tif ({1}).</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="304"/>
        <source>Embedding dimensions: &apos;{0}&apos; is not a list of integers such as 0,5,17 or 0-15.</source>
        <translation>Dimensions des plongements : « {0} » n'est pas une liste d'entiers comme 0,5,17 ou 0-15.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="308"/>
        <source>Embedding dimensions {0} are outside 0 to {1}.</source>
        <translation>Les dimensions des plongements {0} sont hors de l'intervalle 0 à {1}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="84"/>
        <source>Model configuration {0}: {1}</source>
        <translation>Configuration du modèle {0} : {1}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="342"/>
        <source>A custom model needs a checkpoint file: set &apos;Checkpoint file&apos; (or checkpoint_path in the model configuration).</source>
        <translation>Un modèle personnalisé exige un fichier de poids : renseignez « Fichier de poids » (ou checkpoint_path dans la configuration du modèle).</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="348"/>
        <source>The checkpoint set in the plugin settings for {0} does not exist ({1}); using the Hugging Face cache.</source>
        <translation>Le fichier de poids défini dans les paramètres de l'extension pour {0} n'existe pas ({1}); utilisation du cache Hugging Face.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="354"/>
        <source>The checkpoint file {0} does not exist.</source>
        <translation>Le fichier de poids {0} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="380"/>
        <source>Model {0}, weights {1}</source>
        <translation>Modèle {0}, poids {1}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="388"/>
        <source>Half precision needs a GPU; running in float32 on the CPU.</source>
        <translation>La demi-précision exige un GPU; exécution en float32 sur le CPU.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="391"/>
        <source>Device {0}, precision {1}, batch size {2}</source>
        <translation>Processeur {0}, précision {1}, taille des lots {2}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="458"/>
        <source>Cancelled: no output was written.</source>
        <translation>Annulé : aucune sortie n'a été écrite.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="464"/>
        <source>A Python package is missing: {0}.</source>
        <translation>Un paquet Python est manquant : {0}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="467"/>
        <source>Out of memory: lower the batch size or process a smaller area.</source>
        <translation>Mémoire insuffisante : réduisez la taille des lots ou traitez une zone plus petite.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="240"/>
        <source>No style written for {0}: {1}</source>
        <translation>Aucun style écrit pour {0} : {1}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="376"/>
        <source>Looking for {0} in the Hugging Face cache (repository {1}); it is downloaded (about 450 MB) when missing.</source>
        <translation>Recherche de {0} dans le cache Hugging Face (dépôt {1}); le fichier est téléchargé (environ 450 Mo) s'il est absent.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="149"/>
        <source>Which Planaura model: Planaura-1.0-HLS (HLS imagery), Planaura-1.0-S2 (Sentinel-2 L2A), Planaura-1.0-S2-Senegal (Sentinel-2 L2A, statistics of Senegal, nodata -9999) or a custom checkpoint (give the checkpoint file and, for another architecture or statistics, the model configuration).</source>
        <translation>Quel modèle Planaura : Planaura-1.0-HLS (images HLS), Planaura-1.0-S2 (Sentinel-2 L2A), Planaura-1.0-S2-Senegal (Sentinel-2 L2A, statistiques du Sénégal, nodata -9999) ou un fichier de poids personnalisé (indiquez le fichier de poids et, pour une autre architecture ou d'autres statistiques, la configuration du modèle).</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="258"/>
        <source>{0}: QGIS cannot load &apos;{1}&apos; as a raster layer; check that the file exists and that GDAL reads it.</source>
        <translation>{0} : QGIS ne peut pas charger « {1} » comme couche raster; vérifiez que le fichier existe et que GDAL peut le lire.</translation>
    </message>
    <message>
        <location filename="../processing_provider/layer_sources.py" line="31"/>
        <source>{0}: the layer &apos;{1}&apos; comes from the &apos;{2}&apos; data provider, not from a raster file GDAL reads, so Planaura cannot read its pixels; save it as a GeoTIFF first (right-click the layer &gt; Export &gt; Save As...) and choose that file.</source>
        <translation>{0} : la couche « {1} » provient du fournisseur de données « {2} », et non d'un fichier raster que GDAL lit; Planaura ne peut donc pas lire ses pixels. Enregistrez-la d'abord en GeoTIFF (clic droit sur la couche &gt; Exporter &gt; Sauvegarder sous...) et choisissez ce fichier.</translation>
    </message>
    <message>
        <location filename="../processing_provider/layer_sources.py" line="37"/>
        <source>{0}: the layer &apos;{1}&apos; reads {2}, which does not exist (any more); check the file or load the layer again.</source>
        <translation>{0} : la couche « {1} » lit {2}, qui n'existe pas (ou plus); vérifiez le fichier ou chargez de nouveau la couche.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="74"/>
        <source>Precision (default: half precision above)</source>
        <translation>Précision (par défaut : la demi-précision ci-dessus)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="167"/>
        <source>float32 gives the reference numbers. bfloat16 (GPU, or a CPU with AVX-512 BF16/AMX) and int8 (CPU only) are faster; the README lists how far they differ. default: as half precision says.</source>
        <translation>float32 donne les valeurs de la référence. bfloat16 (GPU, ou processeur avec AVX-512 BF16/AMX) et int8 (processeur seulement) sont plus rapides ; le README donne leurs écarts. default : selon la demi-précision.</translation>
    </message>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="36"/>
        <source>Install them with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies, or run `make setup` in the plugin folder, then run the algorithm again.</source>
        <translation>Installez-les avec Extensions ▸ Planaura ▸ Paramètres… ▸ Installer les dépendances, ou lancez `make setup` dans le dossier de l'extension, puis relancez l'algorithme.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="208"/>
        <source>mps (Apple GPU)</source>
        <translation>mps (GPU Apple)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="431"/>
        <source>{0}: &apos;{1}&apos; is not a list of band numbers such as 2,3,4,9,12,13.</source>
        <translation>{0} : « {1} » n'est pas une liste de numéros de bandes comme 2,3,4,9,12,13.</translation>
    </message>
    <message>
        <location filename="../processing_provider/optional_packages.py" line="38"/>
        <source>{0} needs the Python package {1}, which is not installed in QGIS's Python. Install it with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies (it installs the optional packages too), then run the algorithm again.</source>
        <translation>{0} a besoin du paquet Python {1}, qui n'est pas installé dans le Python de QGIS. Installez-le avec Extensions ▸ Planaura ▸ Paramètres… ▸ Installer les dépendances (le bouton installe aussi les paquets optionnels), puis relancez l'algorithme.</translation>
    </message>
</context>
<context>
    <name>PlanauraPlugin</name>
    <message>
        <location filename="../ui/plugin.py" line="49"/>
        <source>&amp;Planaura</source>
        <translation>&amp;Planaura</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="63"/>
        <source>The Planaura Processing provider could not be loaded:</source>
        <translation>Le fournisseur de traitements Planaura n'a pas pu être chargé :</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="79"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="79"/>
        <source>Free GPU memory</source>
        <translation>Libérer la mémoire GPU</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="79"/>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="130"/>
        <source>The models could not be released: {0}</source>
        <translation>Les modèles n'ont pas pu être libérés : {0}</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="133"/>
        <source>Released {0} cached model(s); GPU memory is free.</source>
        <translation>{0} modèle(s) en cache libéré(s); la mémoire GPU est libérée.</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="149"/>
        <source>Planaura</source>
        <translation>Planaura</translation>
    </message>
    <message>
        <location filename="../ui/plugin.py" line="143"/>
        <source>No web browser could be opened; the help is at {0}</source>
        <translation>Aucun navigateur web n'a pu être ouvert ; l'aide se trouve à {0}</translation>
    </message>
</context>
<context>
    <name>PlanauraProducts</name>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change intensity (cosine map)</source>
        <translation>Intensité du changement (carte du cosinus)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change intensity {period}</source>
        <translation>Intensité du changement {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic change intensity ({pairs} pairs)</source>
        <translation>Intensité du changement de la mosaïque ({pairs} paires)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Persistence (number of pairs)</source>
        <translation>Persistance (nombre de paires)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Persistence ({pairs} pairs)</source>
        <translation>Persistance ({pairs} paires)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Before date</source>
        <translation>Date avant</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Before date {period}</source>
        <translation>Date avant {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic before date</source>
        <translation>Date avant de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>After date</source>
        <translation>Date après</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>After date {period}</source>
        <translation>Date après {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic after date</source>
        <translation>Date après de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Quality (Fmask class)</source>
        <translation>Qualité (classe Fmask)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Quality (Fmask) {period}</source>
        <translation>Qualité (Fmask) {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic quality (Fmask)</source>
        <translation>Qualité de la mosaïque (Fmask)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic before image</source>
        <translation>Image avant de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic after image</source>
        <translation>Image après de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change classes</source>
        <translation>Classes de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change classes {period}</source>
        <translation>Classes de changement {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Embeddings of the before image</source>
        <translation>Plongements de l'image avant</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Embeddings of the after image</source>
        <translation>Plongements de l'image après</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Embeddings {day} (with {other})</source>
        <translation>Plongements {day} (avec {other})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic embeddings before</source>
        <translation>Plongements avant de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic embeddings after</source>
        <translation>Plongements après de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Reconstruction of the before image</source>
        <translation>Reconstruction de l'image avant</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Reconstruction of the after image</source>
        <translation>Reconstruction de l'image après</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Reconstruction {day}</source>
        <translation>Reconstruction {day}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change types</source>
        <translation>Types de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Change types {period}</source>
        <translation>Types de changement {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic change intensity</source>
        <translation>Intensité du changement de la mosaïque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="136"/>
        <source>Mosaic quality (Fmask class)</source>
        <translation>Qualité de la mosaïque (classe Fmask)</translation>
    </message>
</context>
<context>
    <name>PlanauraProvider</name>
    <message>
        <location filename="../processing_provider/provider.py" line="64"/>
        <source>Planaura foundation models (NRCan)</source>
        <translation>Modèles de fondation Planaura (RNCan)</translation>
    </message>
</context>
<context>
    <name>PlanauraReport</name>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="27"/>
        <source>Change polygons: area report</source>
        <translation>Polygones de changement : rapport des superficies</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="28"/>
        <source>Inputs</source>
        <translation>Entrées</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="29"/>
        <source>Change map</source>
        <translation>Carte de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="30"/>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="31"/>
        <source>Dates</source>
        <translation>Dates</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="32"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="33"/>
        <source>Checkpoint</source>
        <translation>Fichier de poids</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="34"/>
        <source>Weights SHA-256</source>
        <translation>SHA-256 des poids</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="35"/>
        <source>Made with Planaura for QGIS</source>
        <translation>Produit avec Planaura pour QGIS</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="34"/>
        <source>Patch stride (px)</source>
        <translation>Pas des blocs (px)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="35"/>
        <source>Layers used beside the change map</source>
        <translation>Couches associées utilisées avec la carte de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="36"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="37"/>
        <source>Class thresholds (cosine)</source>
        <translation>Seuils de classe (cosinus)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="38"/>
        <source>Minimum area (ha)</source>
        <translation>Superficie minimale (ha)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="39"/>
        <source>Extent</source>
        <translation>Étendue</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="40"/>
        <source>Mask</source>
        <translation>Masque</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="41"/>
        <source>Simplification tolerance (map units)</source>
        <translation>Tolérance de simplification (unités de la carte)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="48"/>
        <source>Polygons</source>
        <translation>Polygones</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="43"/>
        <source>Area per class</source>
        <translation>Superficie par classe</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="44"/>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="45"/>
        <source>Meaning</source>
        <translation>Signification</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="46"/>
        <source>Pixels</source>
        <translation>Pixels</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="47"/>
        <source>Area of the pixels (ha)</source>
        <translation>Superficie des pixels (ha)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="49"/>
        <source>Area of the polygons (ha)</source>
        <translation>Superficie des polygones (ha)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="50"/>
        <source>% of the analysed area</source>
        <translation>% de la superficie analysée</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="51"/>
        <source>Left out, below the minimum area (polygons / ha)</source>
        <translation>Exclus, sous la superficie minimale (polygones / ha)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="52"/>
        <source>Analysed area (valid pixels)</source>
        <translation>Superficie analysée (pixels valides)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="53"/>
        <source>All change classes</source>
        <translation>Toutes les classes de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="54"/>
        <source>Largest patches</source>
        <translation>Plus grandes taches</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="55"/>
        <source>Centre (x, y)</source>
        <translation>Centre (x, y)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="56"/>
        <source>Mean cosine</source>
        <translation>Cosinus moyen</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="57"/>
        <source>Minimum cosine</source>
        <translation>Cosinus minimal</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="58"/>
        <source>Persistence (pairs)</source>
        <translation>Persistance (paires)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="59"/>
        <source>Histogram of the cosines of the analysed pixels</source>
        <translation>Histogramme des cosinus des pixels analysés</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="60"/>
        <source>Change types</source>
        <translation>Types de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="61"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="62"/>
        <source>Areas are true areas on the {0} ellipsoid of the change map&apos;s CRS, whatever its projection: each pixel is measured from its corners in an equal-area projection on that ellipsoid, and each polygon, the union of its pixels, has the sum of their areas; the percentages are of the analysed area.</source>
        <translation>Les superficies sont les superficies vraies sur l&apos;ellipsoïde {0} du SCR de la carte de changement, quelle que soit sa projection : chaque pixel est mesuré à partir de ses coins dans une projection équivalente sur cet ellipsoïde, et chaque polygone, réunion de ses pixels, a la somme de leurs superficies; les pourcentages sont relatifs à la superficie analysée.</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="66"/>
        <source>The change map has no CRS (or one without an ellipsoid): its areas are square map units divided by 10,000, not hectares; the percentages are of the analysed area.</source>
        <translation>La carte de changement n&apos;a pas de SCR (ou un SCR sans ellipsoïde) : ses superficies sont des unités de carte au carré divisées par 10 000, pas des hectares; les pourcentages sont relatifs à la superficie analysée.</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="67"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="68"/>
        <source>No change (&gt; {0:.2f})</source>
        <translation>Aucun changement (&gt; {0:.2f})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="69"/>
        <source>Low change ({1:.2f} to {0:.2f})</source>
        <translation>Changement faible ({1:.2f} à {0:.2f})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="70"/>
        <source>Moderate change ({2:.2f} to {1:.2f})</source>
        <translation>Changement modéré ({2:.2f} à {1:.2f})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="71"/>
        <source>High change (&lt;= {2:.2f})</source>
        <translation>Changement fort (&lt;= {2:.2f})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="72"/>
        <source>Change (&lt;= {0:.2f})</source>
        <translation>Changement (&lt;= {0:.2f})</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="73"/>
        <source>Change type {0}</source>
        <translation>Type de changement {0}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="74"/>
        <source>Changed, of no type (noise)</source>
        <translation>Changé, sans type (bruit)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="75"/>
        <source>Area (ha)</source>
        <translation>Superficie (ha)</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/analysis/report.py" line="76"/>
        <source>Pixels of the change types raster {0} inside the analysed area and the sum of their areas; a CSV of this table is written beside the report.</source>
        <translation>Pixels du raster des types de changement {0} dans la superficie analysée et la somme de leurs superficies; un CSV de ce tableau est écrit à côté du rapport.</translation>
    </message>
</context>
<context>
    <name>PlanauraSettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.py" line="69"/>
        <source>Planaura settings</source>
        <translation>Paramètres de Planaura</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="93"/>
        <source>Computation defaults</source>
        <translation>Valeurs de calcul par défaut</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="122"/>
        <source>Automatic (GPU when available)</source>
        <translation>Automatique (GPU si disponible)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="122"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="123"/>
        <source>CUDA GPU</source>
        <translation>GPU CUDA</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="100"/>
        <source>float32 (reference numbers)</source>
        <translation>float32 (valeurs de référence)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="102"/>
        <source>float16 (GPU only, faster)</source>
        <translation>float16 (GPU seulement, plus rapide)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="109"/>
        <source>Device</source>
        <translation>Processeur de calcul</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="110"/>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="111"/>
        <source>Batch size (tiles per model call)</source>
        <translation>Taille des lots (tuiles par appel du modèle)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="133"/>
        <source>Model weights</source>
        <translation>Poids des modèles</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="135"/>
        <source>Leave a path empty to use the official weights from Hugging Face ({0}): they are downloaded once into the Hugging Face cache.</source>
        <translation>Laissez un chemin vide pour utiliser les poids officiels de Hugging Face ({0}) : ils sont téléchargés une seule fois dans le cache de Hugging Face.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="139"/>
        <source>Hugging Face cache folder</source>
        <translation>Dossier du cache Hugging Face</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="143"/>
        <source>default (HF_HOME or ~/.cache/huggingface)</source>
        <translation>par défaut (HF_HOME ou ~/.cache/huggingface)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="150"/>
        <source>PyTorch checkpoints (*.pth *.pt);;All files (*)</source>
        <translation>Poids PyTorch (*.pth *.pt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="151"/>
        <source>Checkpoint of {0}</source>
        <translation>Fichier de poids de {0}</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="152"/>
        <source>official weights (Hugging Face)</source>
        <translation>poids officiels (Hugging Face)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="154"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="155"/>
        <source>Download {0}.pth from Hugging Face into its cache</source>
        <translation>Télécharger {0}.pth de Hugging Face dans son cache</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="169"/>
        <source>Python dependencies</source>
        <translation>Dépendances Python</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="190"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="191"/>
        <source>Plugin package folder</source>
        <translation>Dossier des paquets de l'extension</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="192"/>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="193"/>
        <source>CUDA available</source>
        <translation>CUDA disponible</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="194"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="195"/>
        <source>Other packages</source>
        <translation>Autres paquets</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="401"/>
        <source>Install dependencies</source>
        <translation>Installer les dépendances</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="202"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="275"/>
        <source>Uses the local file.</source>
        <translation>Utilise le fichier local.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="275"/>
        <source>&lt;span style=&apos;color:#a50f15&apos;&gt;File not found.&lt;/span&gt;</source>
        <translation>&lt;span style='color:#a50f15'&gt;Fichier introuvable.&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="279"/>
        <source>Not downloaded yet.</source>
        <translation>Pas encore téléchargé.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="295"/>
        <source>Downloading… (see the task manager to cancel)</source>
        <translation>Téléchargement en cours… (annulation dans le gestionnaire de tâches)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="324"/>
        <source>Download cancelled.</source>
        <translation>Téléchargement annulé.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="373"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="375"/>
        <source>installed but cannot be imported: {0}</source>
        <translation>installé, mais impossible à importer : {0}</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="413"/>
        <source>not installed</source>
        <translation>non installé</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="380"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="380"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="382"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="393"/>
        <source>Missing or at another version: {0}</source>
        <translation>Manquant ou dans une autre version : {0}</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="396"/>
        <source>Reinstall dependencies</source>
        <translation>Réinstaller les dépendances</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="398"/>
        <source>All dependencies are installed.</source>
        <translation>Toutes les dépendances sont installées.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="434"/>
        <source>Installing… (see the task manager to cancel)</source>
        <translation>Installation en cours… (annulation dans le gestionnaire de tâches)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="447"/>
        <source>Installed into {0}. Restart QGIS to use the new PyTorch.</source>
        <translation>Installé dans {0}. Redémarrez QGIS pour utiliser le nouveau PyTorch.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="450"/>
        <source>Installed into {0}; no restart needed.</source>
        <translation>Installé dans {0}; aucun redémarrage nécessaire.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="452"/>
        <source>Not installed (optional; pip failed, see the log): {0}. The outputs that need them are unavailable; everything else works.</source>
        <translation>Non installés (facultatifs; pip a échoué, voir le journal) : {0}. Les sorties qui en ont besoin ne sont pas disponibles; tout le reste fonctionne.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="452"/>
        <source>The installation failed:</source>
        <translation>L'installation a échoué :</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="455"/>
        <source>Installation cancelled.</source>
        <translation>Installation annulée.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="101"/>
        <source>bfloat16 (GPU, or a CPU with AVX-512 BF16 or AMX; faster)</source>
        <translation>bfloat16 (GPU, ou CPU avec AVX-512 BF16 ou AMX ; plus rapide)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="103"/>
        <source>int8 (CPU only, dynamic quantisation; faster)</source>
        <translation>int8 (CPU seulement, quantification dynamique ; plus rapide)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="112"/>
        <source>These values are the defaults of the Processing algorithms; each run can override them. A precision the device cannot run falls back to float32, and the run&apos;s log says so.</source>
        <translation>Ces valeurs sont les valeurs par défaut des algorithmes de traitement ; chaque exécution peut les changer. Une précision que l'appareil ne peut pas exécuter revient à float32, et le journal de l'exécution le dit.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="381"/>
        <source>Apple GPU (mps)</source>
        <translation>GPU Apple (mps)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="196"/>
        <source>Optional packages</source>
        <translation>Paquets optionnels</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="197"/>
        <source>PyTorch to install</source>
        <translation>PyTorch à installer</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="472"/>
        <source>Copy diagnostics</source>
        <translation>Copier les diagnostics</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="206"/>
        <source>Copy the plugin, QGIS, Python, PyTorch, CUDA, GPU and driver versions and the last error to the clipboard, for a bug report</source>
        <translation>Copier dans le presse-papiers les versions de l'extension, de QGIS, de Python, de PyTorch, de CUDA, du GPU et du pilote, et la dernière erreur, pour un rapport de bogue</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="256"/>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="256"/>
        <source>No web browser could be opened; the help is at {0}</source>
        <translation>Aucun navigateur web n'a pu être ouvert ; l'aide se trouve à {0}</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="279"/>
        <source>In the Hugging Face cache:</source>
        <translation>Dans le cache Hugging Face :</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="305"/>
        <source>The weights could not be downloaded. Without internet access from QGIS: download {0} on another computer from {1}, copy it here, then choose it as the checkpoint file of {2} above (the … button); or set the Hugging Face cache folder to a cache that already holds it. Behind a proxy, set it in Settings ▸ Options ▸ Network, or in the HTTPS_PROXY environment variable.</source>
        <translation>Les poids n'ont pas pu être téléchargés. Sans accès à Internet depuis QGIS : téléchargez {0} sur un autre ordinateur depuis {1}, copiez-le ici, puis choisissez-le comme fichier de points de contrôle de {2} ci-dessus (le bouton …) ; ou indiquez comme dossier du cache Hugging Face un cache qui le contient déjà. Derrière un proxy, réglez-le dans Préférences ▸ Options ▸ Réseau, ou dans la variable d'environnement HTTPS_PROXY.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="310"/>
        <source>Details: {0}</source>
        <translation>Détails : {0}</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="318"/>
        <source>Downloaded into the Hugging Face cache:</source>
        <translation>Téléchargé dans le cache Hugging Face :</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="334"/>
        <source>PyTorch {0} for CUDA {1} (from {2}): the NVIDIA driver {3} ({4}) supports it (CUDA {1} needs driver {5} or newer).</source>
        <translation>PyTorch {0} pour CUDA {1} (depuis {2}) : le pilote NVIDIA {3} ({4}) le prend en charge (CUDA {1} demande le pilote {5} ou plus récent).</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="338"/>
        <source>PyTorch {0}, CPU build (from {1}): the NVIDIA driver {2} ({3}) is older than {4}, the oldest driver the CUDA builds of PyTorch {0} need. Update the driver, then install again to use the GPU.</source>
        <translation>PyTorch {0}, version CPU (depuis {1}) : le pilote NVIDIA {2} ({3}) est plus ancien que {4}, le plus ancien pilote que demandent les versions CUDA de PyTorch {0}. Mettez le pilote à jour, puis installez de nouveau pour utiliser le GPU.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="343"/>
        <source>PyTorch {0}, CPU build (from {1}): nvidia-smi failed ({2}), so no NVIDIA GPU can be used.</source>
        <translation>PyTorch {0}, version CPU (depuis {1}) : nvidia-smi a échoué ({2}), aucun GPU NVIDIA ne peut donc être utilisé.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="346"/>
        <source>PyTorch {0} from PyPI (macOS): the Apple GPU (mps) is offered as a device when PyTorch reports it.</source>
        <translation>PyTorch {0} depuis PyPI (macOS) : le GPU Apple (mps) est proposé comme appareil quand PyTorch le signale.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="348"/>
        <source>PyTorch {0}, CPU build (from {1}): no NVIDIA driver was found (no nvidia-smi).</source>
        <translation>PyTorch {0}, version CPU (depuis {1}) : aucun pilote NVIDIA n'a été trouvé (pas de nvidia-smi).</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="352"/>
        <source>GeoParquet tables</source>
        <translation>tables GeoParquet</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="352"/>
        <source>change types</source>
        <translation>types de changement</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="353"/>
        <source>{0} {1} ({2})</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="407"/>
        <source>Install {0} into {1}?</source>
        <translation>Installer {0} dans {1} ?</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="409"/>
        <source>PyTorch needs about 1 GB of disk space (CUDA builds about 3 GB).</source>
        <translation>PyTorch demande environ 1 Go d'espace disque (les versions CUDA environ 3 Go).</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="413"/>
        <source>Optional packages, for some outputs: {0}.</source>
        <translation>Paquets optionnels, pour certaines sorties : {0}.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="415"/>
        <source>QGIS&apos;s own numpy ({0}) is kept.</source>
        <translation>Le numpy de QGIS ({0}) est conservé.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="472"/>
        <source>The diagnostics are on the clipboard: paste them into the bug report.</source>
        <translation>Les diagnostics sont dans le presse-papiers : collez-les dans le rapport de bogue.</translation>
    </message>
</context>
<context>
    <name>PlanauraStyles</name>
    <message>
        <location filename="../processing_provider/styles.py" line="84"/>
        <source>Clear</source>
        <translation>Dégagé</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="85"/>
        <source>Cloud</source>
        <translation>Nuage</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="86"/>
        <source>Adjacent to cloud/shadow</source>
        <translation>Adjacent à un nuage ou à une ombre</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="87"/>
        <source>Cloud shadow</source>
        <translation>Ombre de nuage</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="88"/>
        <source>Snow/ice</source>
        <translation>Neige/glace</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="89"/>
        <source>High aerosol</source>
        <translation>Aérosols élevés</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="52"/>
        <source>No information</source>
        <translation>Pas d'information</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="167"/>
        <source>-1 strong change</source>
        <translation>-1 changement fort</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="167"/>
        <source>0.75 weak change</source>
        <translation>0,75 changement faible</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="167"/>
        <source>1 no change (transparent above 0.92)</source>
        <translation>1 aucun changement (transparent au-dessus de 0,92)</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="198"/>
        <source>{0} pair(s)</source>
        <translation>{0} paire(s)</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="97"/>
        <source>No change (&gt; {0})</source>
        <translation>Aucun changement (&gt; {0})</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="98"/>
        <source>Low change ({0} to {1})</source>
        <translation>Changement faible ({0} à {1})</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="100"/>
        <source>Moderate change ({0} to {1})</source>
        <translation>Changement modéré ({0} à {1})</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="102"/>
        <source>High change (&lt;= {0})</source>
        <translation>Changement fort (&lt;= {0})</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="371"/>
        <source>Change (&lt;= {0})</source>
        <translation>Changement (&lt;= {0})</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="252"/>
        <source>Noise (no type)</source>
        <translation>Bruit (sans type)</translation>
    </message>
    <message>
        <location filename="../processing_provider/styles.py" line="254"/>
        <source>Change type {0}</source>
        <translation>Type de changement {0}</translation>
    </message>
</context>
<context>
    <name>RunConfigAlgorithm</name>
    <message>
        <location filename="../processing_provider/run_config.py" line="49"/>
        <source>Planaura configuration (YAML)</source>
        <translation>Configuration Planaura (YAML)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="50"/>
        <source>Folder that relative paths start from (default: the YAML&apos;s folder)</source>
        <translation>Dossier de départ des chemins relatifs (par défaut : celui du YAML)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="52"/>
        <source>Device</source>
        <translation>Processeur de calcul</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="53"/>
        <source>Only check the configuration and list what it would write</source>
        <translation>Seulement vérifier la configuration et lister ce qu'elle écrirait</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="57"/>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="58"/>
        <source>Rasters written</source>
        <translation>Rasters écrits</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="59"/>
        <source>Files written (one per line)</source>
        <translation>Fichiers écrits (un par ligne)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="66"/>
        <source>Run Planaura configuration (YAML)</source>
        <translation>Exécuter une configuration Planaura (YAML)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="69"/>
        <source>Run an upstream Planaura YAML and its CSV: same outputs, same names.</source>
        <translation>Exécute un YAML Planaura de l'implémentation d'origine et son CSV : mêmes sorties, mêmes noms.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="72"/>
        <source>Runs a configuration of NRCan&apos;s Planaura reference scripts (the YAML of infer_geotiff.py with its CSV of image pairs) with this plugin&apos;s engine: the change maps, embeddings, reconstructions and the persistence mosaic are written with upstream&apos;s file names into upstream&apos;s folders. The whole configuration is checked (unknown keys, types, missing files, outputs that would overwrite inputs) before any model work.</source>
        <translation>Exécute une configuration des scripts de référence Planaura de RNCan (le YAML d'infer_geotiff.py et son CSV de paires d'images) avec le moteur de cette extension : les cartes de changement, les plongements, les reconstructions et la mosaïque de persistance sont écrits sous les noms de fichiers et dans les dossiers de l'implémentation d'origine. Toute la configuration est vérifiée (clés inconnues, types, fichiers manquants, sorties qui écraseraient des entrées) avant tout calcul du modèle.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="79"/>
        <source>The YAML file.</source>
        <translation>Le fichier YAML.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="80"/>
        <source>Upstream resolves the paths of the YAML and the CSV from the current folder; in QGIS they start from this folder, by default the YAML&apos;s.</source>
        <translation>L'implémentation d'origine résout les chemins du YAML et du CSV à partir du dossier courant; dans QGIS, ils partent de ce dossier, par défaut celui du YAML.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="83"/>
        <source>&apos;From the configuration&apos; follows its use_gpu key; otherwise auto, cpu or cuda.</source>
        <translation>« Selon la configuration » suit sa clé use_gpu; sinon auto, cpu ou cuda.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="85"/>
        <source>Write nothing; log the plan (inputs, outputs, model).</source>
        <translation>Ne rien écrire; consigner le plan (entrées, sorties, modèle) dans le journal.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="92"/>
        <source>The save folder of the first frame (where the change maps and the mosaic go).</source>
        <translation>Le dossier d'enregistrement de la première trame (où vont les cartes de changement et la mosaïque).</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="94"/>
        <source>Every GeoTIFF written, each with a .qml style beside it.</source>
        <translation>Tous les GeoTIFF écrits, chacun avec un style .qml à côté.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="95"/>
        <source>Every file written, including feature tables.</source>
        <translation>Tous les fichiers écrits, y compris les tables de caractéristiques.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="98"/>
        <source>The weights are those of the configuration&apos;s model_params.load_params (a local checkpoint_path, or the Hugging Face model).</source>
        <translation>Les poids sont ceux de model_params.load_params dans la configuration (un checkpoint_path local ou le modèle Hugging Face).</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="107"/>
        <source>YAML files (*.yaml *.yml);;All files (*)</source>
        <translation>Fichiers YAML (*.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="113"/>
        <source>From the configuration</source>
        <translation>Selon la configuration</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="113"/>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="113"/>
        <source>cpu</source>
        <translation>cpu</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="113"/>
        <source>cuda</source>
        <translation>cuda</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="170"/>
        <source>No style written for {0}: {1}</source>
        <translation>Aucun style écrit pour {0} : {1}</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="173"/>
        <source>Removed (delete_residues): {0}</source>
        <translation>Supprimé (delete_residues) : {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="174"/>
        <source>{0} file(s) written in {1:.1f} s</source>
        <translation>{0} fichier(s) écrit(s) en {1:.1f} s</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="141"/>
        <source>feature_maps.write_as_df: true (GeoParquet tables)</source>
        <translation>feature_maps.write_as_df: true (tables GeoParquet)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="55"/>
        <source>Dask scheduler (local:N, tcp://HOST:PORT or a scheduler file; empty: this process)</source>
        <translation>Ordonnanceur Dask (local:N, tcp://HÔTE:PORT ou un fichier d'ordonnanceur; vide : ce processus)</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="86"/>
        <source>Empty: the pairs run one after another in QGIS. local:N starts N worker processes on this computer; tcp://HOST:PORT or a scheduler file (.json) uses a running Dask cluster (a workstation with several GPUs, an HPC cluster). Needs the Python packages dask and distributed.</source>
        <translation>Vide : les paires sont traitées l'une après l'autre dans QGIS. local:N démarre N processus de calcul sur cet ordinateur; tcp://HÔTE:PORT ou un fichier d'ordonnanceur (.json) utilise une grappe Dask en marche (une station de travail à plusieurs GPU, une grappe de calcul haute performance). Nécessite les paquets Python dask et distributed.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="100"/>
        <source>A run manifest, planaura_run.json, is kept in the first save folder: running the same configuration again skips the pairs already complete whose inputs, options and outputs are unchanged, and recomputes the mosaic only when one of its inputs changed. A pair that fails (for example an unreadable image) is reported with its reason and the other pairs are completed.</source>
        <translation>Un manifeste d'exécution, planaura_run.json, est tenu dans le premier dossier de sauvegarde : relancer la même configuration saute les paires déjà terminées dont les entrées, les options et les sorties n'ont pas changé, et ne recalcule la mosaïque que si l'une de ses entrées a changé. Une paire qui échoue (par exemple une image illisible) est signalée avec sa raison et les autres paires sont menées à terme.</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="181"/>
        <source>Pairs: {0} computed, {1} unchanged since an earlier run (kept), {2} failed; run manifest {3}</source>
        <translation>Paires : {0} calculées, {1} inchangées depuis une exécution précédente (conservées), {2} en échec; manifeste d'exécution {3}</translation>
    </message>
    <message>
        <location filename="../processing_provider/run_config.py" line="186"/>
        <source>{0} of {1} pair(s) failed ({2}). The other pairs are written; run the algorithm again to retry the failed ones.</source>
        <translation>{0} paire(s) sur {1} en échec ({2}). Les autres paires sont écrites; relancez l'algorithme pour réessayer celles en échec.</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/input_labels.py" line="1"/>
        <source>before image</source>
        <translation>image avant</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/input_labels.py" line="1"/>
        <source>after image</source>
        <translation>image après</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/input_labels.py" line="1"/>
        <source>image</source>
        <translation>image</translation>
    </message>
</context>
<context>
    <name>ChangePolygonsAlgorithm</name>
    <message>
        <location filename="../processing_provider/change_polygons.py" line="1"/>
        <source>Change polygons {0}</source>
        <translation>Polygones de changement {0}</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>pip could not get through the proxy of this network. pip does not use QGIS&apos;s network settings: give it the proxy in the HTTPS_PROXY variable (Settings ▸ Options ▸ System ▸ Environment, then restart QGIS) or in pip&apos;s configuration file, then install again; or install from a wheel folder (below).</source>
        <translation>pip n&apos;a pas pu passer par le proxy de ce réseau. pip n&apos;utilise pas les paramètres réseau de QGIS : donnez-lui le proxy dans la variable HTTPS_PROXY (Préférences ▸ Options ▸ Système ▸ Environnement, puis redémarrez QGIS) ou dans le fichier de configuration de pip, puis relancez l&apos;installation; ou installez à partir d&apos;un dossier de wheels (ci-dessous).</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>The secure connection to the package server was refused: this network replaces the server&apos;s certificate (a company firewall). Ask your IT service for its certificate (PIP_CERT), or install from a wheel folder (below).</source>
        <translation>La connexion sécurisée au serveur de paquets a été refusée : ce réseau remplace le certificat du serveur (pare-feu d&apos;entreprise). Demandez son certificat à votre service informatique (PIP_CERT), ou installez à partir d&apos;un dossier de wheels (ci-dessous).</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>This computer cannot reach the package server (no internet connection, or a name that cannot be resolved). Connect and install again, or install from a wheel folder made on another computer (below).</source>
        <translation>Cet ordinateur n&apos;atteint pas le serveur de paquets (pas de connexion Internet, ou un nom qui ne peut être résolu). Connectez-vous et relancez l&apos;installation, ou installez à partir d&apos;un dossier de wheels préparé sur un autre ordinateur (ci-dessous).</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>The disk is full: PyTorch needs about 1 GB (CUDA builds about 3 GB) in the plugin&apos;s package folder and pip&apos;s temporary folder. Free some space, then install again.</source>
        <translation>Le disque est plein : PyTorch demande environ 1 Go (les versions CUDA environ 3 Go) dans le dossier des paquets de l&apos;extension et le dossier temporaire de pip. Libérez de l&apos;espace, puis relancez l&apos;installation.</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>The plugin&apos;s package folder cannot be written (permission denied). Check the rights on the folder shown above, or set PLANAURA_DEPS_DIR to a folder you can write.</source>
        <translation>Le dossier des paquets de l&apos;extension n&apos;est pas accessible en écriture (permission refusée). Vérifiez les droits sur le dossier indiqué plus haut, ou donnez à PLANAURA_DEPS_DIR un dossier où vous pouvez écrire.</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>The wheel folder has no wheel of {0} for this QGIS&apos;s Python and platform. Make the folder again with the pip download command shown below (it names this Python and platform).</source>
        <translation>Le dossier de wheels ne contient pas de wheel de {0} pour le Python et la plateforme de ce QGIS. Refaites le dossier avec la commande pip download ci-dessous (elle nomme ce Python et cette plateforme).</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>pip found no release of {0} for this QGIS&apos;s Python and platform. Use a QGIS with a Python that PyTorch supports (see the README), or copy the diagnostics into a bug report.</source>
        <translation>pip n&apos;a trouvé aucune version de {0} pour le Python et la plateforme de ce QGIS. Utilisez un QGIS dont le Python est pris en charge par PyTorch (voir le README), ou copiez les diagnostics dans un rapport de bogue.</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>pip failed; its output is in the details below.</source>
        <translation>pip a échoué; sa sortie est dans les détails ci-dessous.</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>a package</source>
        <translation>un paquet</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>On a computer with internet (any system, Python with pip), run this command; copy the folder it makes (planaura_wheels) here, then install from it. The command names this QGIS&apos;s Python and platform, so the wheels fit this computer.</source>
        <translation>Sur un ordinateur relié à Internet (tout système, Python avec pip), lancez cette commande; copiez ici le dossier qu&apos;elle crée (planaura_wheels), puis installez à partir de celui-ci. La commande nomme le Python et la plateforme de ce QGIS : les wheels conviennent donc à cet ordinateur.</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>Copy the command</source>
        <translation>Copier la commande</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>Install from a wheel folder…</source>
        <translation>Installer depuis un dossier de wheels…</translation>
    </message>
</context>
<context>
    <name>InstallPanel</name>
    <message>
        <location filename="../ui/install_panel.py" line="1"/>
        <source>Folder of wheels (made by pip download)</source>
        <translation>Dossier de wheels (créé par pip download)</translation>
    </message>
</context>
<context>
    <name>PlanauraSettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.py" line="1"/>
        <source>pip&apos;s output</source>
        <translation>Sortie de pip</translation>
    </message>
</context>
<context>
    <name>PlanauraSettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.py" line="1"/>
        <source>Without internet: install from a wheel folder</source>
        <translation>Sans Internet : installer depuis un dossier de wheels</translation>
    </message>
</context>
<context>
    <name>PlanauraSettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.py" line="1"/>
        <source>From the wheel folder {0} only (no internet).</source>
        <translation>Depuis le dossier de wheels {0} seulement (sans Internet).</translation>
    </message>
</context>
<context>
    <name>PlanauraPlugin</name>
    <message>
        <location filename="../ui/first_run.py" line="1"/>
        <source>The algorithms need Python packages that QGIS does not have: {0}. Install them from Plugins ▸ Planaura ▸ Settings (Install dependencies; without internet, from a wheel folder).</source>
        <translation>Les algorithmes ont besoin de paquets Python que QGIS n&apos;a pas : {0}. Installez-les depuis Extensions ▸ Planaura ▸ Paramètres (Installer les dépendances; sans Internet, depuis un dossier de wheels).</translation>
    </message>
</context>
<context>
    <name>PlanauraPlugin</name>
    <message>
        <location filename="../ui/first_run.py" line="1"/>
        <source>Install dependencies…</source>
        <translation>Installer les dépendances…</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="1"/>
        <source>Install them with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies, then run the algorithm again.</source>
        <translation>Installez-les avec Extensions ▸ Planaura ▸ Paramètres… ▸ Installer les dépendances, puis relancez l&apos;algorithme.</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/algorithm_common.py" line="1"/>
        <source>Install dependencies does not install Dask: run that pip command with QGIS&apos;s Python, adding --target and the plugin package folder shown in Plugins ▸ Planaura ▸ Settings…; or leave the Dask scheduler empty to run the pairs in QGIS.</source>
        <translation>Installer les dépendances n&apos;installe pas Dask : lancez cette commande pip avec le Python de QGIS, en ajoutant --target et le dossier des paquets de l&apos;extension indiqué dans Extensions ▸ Planaura ▸ Paramètres…; ou laissez l&apos;ordonnanceur Dask vide pour traiter les paires dans QGIS.</translation>
    </message>
</context>
<context>
    <name>RunConfigAlgorithm</name>
    <message>
        <location filename="../processing_provider/run_config.py" line="1"/>
        <source>Recompute every pair (also those unchanged since an earlier run)</source>
        <translation>Recalculer toutes les paires (aussi celles inchangées depuis une exécution précédente)</translation>
    </message>
</context>
<context>
    <name>RunConfigAlgorithm</name>
    <message>
        <location filename="../processing_provider/run_config.py" line="1"/>
        <source>Ignore the run manifest: compute every pair and the mosaic again (the command line&apos;s --force).</source>
        <translation>Ignorer le manifeste d&apos;exécution : recalculer toutes les paires et la mosaïque (le --force de la ligne de commande).</translation>
    </message>
</context>
<context>
    <name>RunConfigAlgorithm</name>
    <message>
        <location filename="../processing_provider/run_config.py" line="1"/>
        <source>Nothing to compute: every pair is unchanged since an earlier run; its {0} file(s) are kept. Tick &apos;Recompute every pair&apos; to compute them again.</source>
        <translation>Rien à calculer : toutes les paires sont inchangées depuis une exécution précédente; leurs {0} fichier(s) sont conservés. Cochez « Recalculer toutes les paires » pour les calculer de nouveau.</translation>
    </message>
</context>
<context>
    <name>RunConfigAlgorithm</name>
    <message>
        <location filename="../processing_provider/run_config.py" line="1"/>
        <source>{0} file(s) in {1:.1f} s, those of the unchanged pairs kept</source>
        <translation>{0} fichier(s) en {1:.1f} s, ceux des paires inchangées conservés</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/base.py" line="1"/>
        <source>local checkpoint ({0} architecture)</source>
        <translation>fichier de poids local (architecture {0})</translation>
    </message>
</context>
<context>
    <name>PlanauraPlugin</name>
    <message>
        <location filename="../ui/plugin.py" line="1"/>
        <source>Released {0} cached model(s); their memory is free.</source>
        <translation>{0} modèle(s) en cache libéré(s); leur mémoire est libre.</translation>
    </message>
</context>
<context>
    <name>EmbeddingsAlgorithm</name>
    <message>
        <location filename="../processing_provider/embeddings.py" line="1"/>
        <source>Embeddings table {0}</source>
        <translation>Table des plongements {0}</translation>
    </message>
</context>
<context>
    <name>PlanauraAlgorithm</name>
    <message>
        <location filename="../processing_provider/area_of_interest.py" line="1"/>
        <source>The area of interest {0} cannot be placed in the image&apos;s CRS ({1}): it has no area there (a point or a line, or an extent outside the region where that CRS is defined, far from the image). Give an area of interest that covers part of the image, or none.</source>
        <translation>La zone d&apos;intérêt {0} ne peut pas être placée dans le SCR de l&apos;image ({1}) : elle n&apos;y a pas de surface (un point ou une ligne, ou une emprise hors de la région où ce SCR est défini, loin de l&apos;image). Donnez une zone d&apos;intérêt qui couvre une partie de l&apos;image, ou aucune.</translation>
    </message>
</context>
<context>
    <name>ChangeOverTimeAlgorithm</name>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="44"/>
        <source>Images of the series (any order)</source>
        <translation>Images de la série (dans n'importe quel ordre)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="45"/>
        <source>Pairs</source>
        <translation>Paires</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="46"/>
        <source>Reference date (YYYY-MM-DD; empty = the earliest image)</source>
        <translation>Date de référence (AAAA-MM-JJ; vide = l'image la plus ancienne)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="48"/>
        <source>Change threshold (cosine below it = change)</source>
        <translation>Seuil de changement (cosinus inférieur = changement)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="50"/>
        <source>Date of change</source>
        <translation>Date de changement</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="51"/>
        <source>Persistence (observations in a row, first persistent change)</source>
        <translation>Persistance (observations consécutives, premier changement persistant)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="53"/>
        <source>Points for the report</source>
        <translation>Points pour le rapport</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="54"/>
        <source>Quality layers are HLS bit flags (else Fmask classes)</source>
        <translation>Les couches de qualité sont des bits HLS (sinon des classes Fmask)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="56"/>
        <source>Dates without a quality layer count as clear</source>
        <translation>Les dates sans couche de qualité comptent comme dégagées</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="58"/>
        <source>Date regular expression of the file names</source>
        <translation>Expression régulière des dates dans les noms de fichiers</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="60"/>
        <source>Dask scheduler for the pairs (e.g. local:2; empty = in QGIS)</source>
        <translation>Ordonnanceur Dask pour les paires (p. ex. local:2; vide = dans QGIS)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="62"/>
        <source>Folder of the pairs' change maps (kept for a resumed run)</source>
        <translation>Dossier des cartes de changement des paires (conservées pour une reprise)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="64"/>
        <source>Report (HTML)</source>
        <translation>Rapport (HTML)</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="65"/>
        <source>Consecutive dates</source>
        <translation>Dates consécutives</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="65"/>
        <source>Each date against the reference date</source>
        <translation>Chaque date contre la date de référence</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="67"/>
        <source>Strongest change</source>
        <translation>Changement le plus fort</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="67"/>
        <source>First persistent change</source>
        <translation>Premier changement persistant</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="74"/>
        <source>Change over time</source>
        <translation>Changement dans le temps</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="77"/>
        <source>When each pixel changed over a series of images of one place, how much, and how sure.</source>
        <translation>Quand chaque pixel a changé dans une série d'images d'un même lieu, de combien, et avec quelle certitude.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="80"/>
        <source>Compares a series of images of one place (two or more, in any order, on one grid) pair by pair and merges the pairs per pixel. The images are sorted by their acquisition dates (from the product's metadata or the file name, as Planaura change map finds them); each pair is the ordinary change map of Planaura change map, with its quality layer, on the first image's grid. A pair takes no part in a pixel's decision where its quality is cloud, cloud shadow, snow/ice or no information, so a passing cloud is never a date of change.</source>
        <translation>Compare une série d'images d'un même lieu (deux ou plus, dans n'importe quel ordre, sur une même grille) paire par paire et fusionne les paires pixel par pixel. Les images sont triées selon leurs dates d'acquisition (tirées des métadonnées du produit ou du nom de fichier, comme les trouve la carte de changement Planaura); chaque paire est la carte de changement ordinaire de la carte de changement Planaura, avec sa couche de qualité, sur la grille de la première image. Une paire ne prend pas part à la décision d'un pixel là où sa qualité est nuage, ombre de nuage, neige/glace ou aucune information : un nuage de passage n'est donc jamais une date de changement.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="92"/>
        <source>Any input the change map takes (stacks, HLS granules, Sentinel-2 products), one per date; quality layers are found with each image (fmask_&lt;image name&gt;, a granule's Fmask, a product's SCL).</source>
        <translation>Toute entrée que prend la carte de changement (piles, granules HLS, produits Sentinel-2), une par date; les couches de qualité sont trouvées avec chaque image (fmask_&lt;nom de l'image&gt;, le Fmask d'une granule, la SCL d'un produit).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="95"/>
        <source>Consecutive dates: (t1, t2), (t2, t3), ...: a change is seen once, at the date it happens. Each date against the reference date: (t0, t1), (t0, t2), ...: a lasting change is seen in every pair from its date on.</source>
        <translation>Dates consécutives : (t1, t2), (t2, t3), ... : un changement est vu une fois, à la date où il a lieu. Chaque date contre la date de référence : (t0, t1), (t0, t2), ... : un changement durable est vu dans chaque paire à partir de sa date.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="99"/>
        <source>The date of the image the others are compared with; images before it take no part.</source>
        <translation>La date de l'image à laquelle les autres sont comparées; les images antérieures ne prennent pas part.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="101"/>
        <source>A pair changed a pixel where its cosine is below this (1 = the same, lower = more change).</source>
        <translation>Une paire a changé un pixel là où son cosinus est inférieur à cette valeur (1 = identique, plus bas = plus de changement).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="103"/>
        <source>Strongest change: the after date of the pair with the lowest cosine below the threshold. First persistent change: the first date from which the cosine stays below the threshold for the persistence's number of observations in a row (meant for pairs against a reference date).</source>
        <translation>Changement le plus fort : la date après de la paire au cosinus le plus bas sous le seuil. Premier changement persistant : la première date à partir de laquelle le cosinus reste sous le seuil pendant le nombre d'observations consécutives de la persistance (prévu pour des paires contre une date de référence).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="107"/>
        <source>Observations in a row; pairs that do not observe the pixel are skipped, an observed unchanged pair breaks the run.</source>
        <translation>Observations consécutives; les paires qui n'observent pas le pixel sont sautées, une paire observée sans changement interrompt la suite.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="109"/>
        <source>Each point's cosine through time is plotted and listed in the report (its field 'name', else its feature id).</source>
        <translation>Le cosinus de chaque point au fil du temps est tracé et listé dans le rapport (son champ « name », sinon l'identifiant de l'entité).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="112"/>
        <source>HLS Fmask bit flags; off for Fmask class codes.</source>
        <translation>Bits du Fmask HLS; désactivé pour des codes de classes Fmask.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="113"/>
        <source>Off: a date without a quality layer is 'no information' and its pairs observe nothing. On: its pixels count as clear.</source>
        <translation>Désactivé : une date sans couche de qualité est « aucune information » et ses paires n'observent rien. Activé : ses pixels comptent comme dégagés.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="116"/>
        <source>Empty: the model's (HLS .2021250T, Sentinel-2 _20210907_).</source>
        <translation>Vide : celle du modèle (HLS .2021250T, Sentinel-2 _20210907_).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="117"/>
        <source>The pairs run as Dask tasks on this scheduler (local:N starts N workers on this computer).</source>
        <translation>Les paires sont traitées comme tâches Dask sur cet ordonnanceur (local:N démarre N processus de calcul sur cet ordinateur).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="119"/>
        <source>Each pair's change map and quality, with a record of them: a second run with the same images and parameters reuses them without model work (another threshold or rule needs no model work).</source>
        <translation>La carte de changement et la qualité de chaque paire, avec un registre : une deuxième exécution avec les mêmes images et paramètres les réutilise sans calcul du modèle (un autre seuil ou une autre règle n'en demande pas non plus).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="123"/>
        <source>Only this area of the images.</source>
        <translation>Seulement cette zone des images.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="129"/>
        <source>int32 YYYYDDD per pixel (nodata -100 where no pair crosses the threshold).</source>
        <translation>AAAAJJJ en int32 par pixel (nodata -100 là où aucune paire ne passe sous le seuil).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="131"/>
        <source>The cosine of the deciding pair (nodata -100).</source>
        <translation>Le cosinus de la paire qui décide (nodata -100).</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="132"/>
        <source>The number of pairs that observe each pixel.</source>
        <translation>Le nombre de paires qui observent chaque pixel.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="133"/>
        <source>One band per pair, named by its dates.</source>
        <translation>Une bande par paire, nommée par ses dates.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="134"/>
        <source>Changed area per date of change (hectares on the ellipsoid), a timeline, the points' cosines.</source>
        <translation>Superficie changée par date de changement (hectares sur l'ellipsoïde), une chronologie, les cosinus des points.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="203"/>
        <source>{0}: give at least two images of the same place.</source>
        <translation>{0} : donnez au moins deux images du même lieu.</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="260"/>
        <source>Report: {0}</source>
        <translation>Rapport : {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/change_over_time.py" line="174"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
</context>
<context>
    <name>PlanauraProducts</name>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Date of change</source>
        <translation>Date de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Date of change {period}</source>
        <translation>Date de changement {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Change intensity at the date of change</source>
        <translation>Intensité du changement à la date de changement</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Change intensity at the date of change {period}</source>
        <translation>Intensité du changement à la date de changement {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Number of valid observations</source>
        <translation>Nombre d'observations valides</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Valid observations {period}</source>
        <translation>Observations valides {period}</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Cosine of each pair</source>
        <translation>Cosinus de chaque paire</translation>
    </message>
    <message>
        <location filename="../planaura_plugin/products.py" line="150"/>
        <source>Cosine of each pair {period}</source>
        <translation>Cosinus de chaque paire {period}</translation>
    </message>
</context>
<context>
    <name>ClassesFromExamplesAlgorithm</name>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="27"/>
        <source>Labelled examples (points or polygons)</source>
        <translation>Exemples étiquetés (points ou polygones)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="29"/>
        <source>Class field</source>
        <translation>Champ de classe</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="30"/>
        <source>Confidence below which a pixel is unknown</source>
        <translation>Confiance sous laquelle un pixel est inconnu</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="99"/>
        <source>Classes</source>
        <translation>Classes</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="99"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="35"/>
        <source>Cross-validated accuracy per class (JSON)</source>
        <translation>Exactitude par classe en validation croisée (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="42"/>
        <source>Classes from examples</source>
        <translation>Classes à partir d'exemples</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="45"/>
        <source>A class map from a few labelled examples; pixels unlike every example are unknown.</source>
        <translation>Une carte de classes à partir de quelques exemples étiquetés ; les pixels qui ne ressemblent à aucun exemple sont inconnus.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="48"/>
        <source>Trains a logistic regression on the embeddings under labelled examples and classes every pixel. The confidence is the class probability, lowered when the pixel lies farther from the examples of its class than they lie from one another (probability x exp(-(d / r - 1)) beyond that spread r), so a kind of land no example showed comes out unknown instead of being forced into a class. The accuracy of each class is estimated by cross-validation on the examples and written in the log.</source>
        <translation>Entraîne une régression logistique sur les plongements situés sous des exemples étiquetés et classe chaque pixel. La confiance est la probabilité de la classe, abaissée lorsque le pixel est plus éloigné des exemples de sa classe que ceux-ci ne le sont les uns des autres (probabilité x exp(-(d / r - 1)) au-delà de cette dispersion r) : un type de terrain qu'aucun exemple ne montrait ressort inconnu au lieu d'être forcé dans une classe. L'exactitude de chaque classe est estimée par validation croisée sur les exemples et écrite dans le journal.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="56"/>
        <source>Points (the pixel under each) or polygons (the pixels whose centre is inside), any CRS; at least 2 classes, a few examples each (5 or more).</source>
        <translation>Points (le pixel sous chacun) ou polygones (les pixels dont le centre est à l'intérieur), dans n'importe quel SCR ; au moins 2 classes, quelques exemples chacune (5 ou plus).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="59"/>
        <source>The field holding each example's class (text or number).</source>
        <translation>Le champ qui contient la classe de chaque exemple (texte ou nombre).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="60"/>
        <source>0 to 1; pixels below it get the class value 0, unknown.</source>
        <translation>De 0 à 1 ; les pixels en dessous reçoivent la valeur de classe 0, inconnu.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="63"/>
        <source>A byte GeoTIFF: classes 1, 2, ... in the order of their names (labelled in the style and the file's CLASS_n metadata), 0 unknown, nodata 255.</source>
        <translation>Un GeoTIFF d'octets : classes 1, 2, ... dans l'ordre de leurs noms (nommées dans le style et les métadonnées CLASS_n du fichier), 0 inconnu, sans donnée 255.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="66"/>
        <source>A float32 GeoTIFF of the confidence (0 to 1), nodata -1.</source>
        <translation>Un GeoTIFF float32 de la confiance (0 à 1), sans donnée -1.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_classes.py" line="94"/>
        <source>examples</source>
        <translation>exemples</translation>
    </message>
</context>
<context>
    <name>EmbeddingClustersAlgorithm</name>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="60"/>
        <source>k-means or HDBSCAN (above).</source>
        <translation>k-moyennes ou HDBSCAN (ci-dessus).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="60"/>
        <source>For k-means: the number of clusters, or 0 to choose it by silhouette.</source>
        <translation>Pour les k-moyennes : le nombre de groupes, ou 0 pour le choisir par la silhouette.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="60"/>
        <source>The numbers of clusters tried when it is chosen: 2 to this.</source>
        <translation>Les nombres de groupes essayés quand il est choisi : de 2 à celui-ci.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="60"/>
        <source>For HDBSCAN: the fewest sample pixels a cluster has; smaller groups are noise, given to the nearest cluster.</source>
        <translation>Pour HDBSCAN : le plus petit nombre de pixels d'échantillon d'un groupe ; les ensembles plus petits sont du bruit, rattaché au groupe le plus proche.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="28"/>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="29"/>
        <source>Number of clusters (k-means; 0 = chosen)</source>
        <translation>Nombre de groupes (k-moyennes ; 0 = choisi)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="31"/>
        <source>Most clusters tried when chosen</source>
        <translation>Nombre maximal de groupes essayés s'il est choisi</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="33"/>
        <source>Smallest cluster (HDBSCAN, sample pixels)</source>
        <translation>Plus petit groupe (HDBSCAN, pixels d'échantillon)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="35"/>
        <source>Centres of an earlier run (JSON)</source>
        <translation>Centres d'une exécution précédente (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="107"/>
        <source>Clusters</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="38"/>
        <source>Cluster centres (JSON)</source>
        <translation>Centres des groupes (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="40"/>
        <source>Number of clusters</source>
        <translation>Nombre de groupes</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="46"/>
        <source>Embedding clusters</source>
        <translation>Groupes de plongements</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="49"/>
        <source>Groups of pixels with alike embeddings (k-means or HDBSCAN), as a paletted raster.</source>
        <translation>Groupes de pixels aux plongements semblables (k-moyennes ou HDBSCAN), en raster à palette.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="52"/>
        <source>Fits clusters on a random sample of valid pixels, then gives every pixel the cluster of the nearest centre (Euclidean distance). k-means makes the number of clusters asked; with 0, the number from 2 to the most tried with the highest silhouette coefficient on the sample (compact, well separated clusters). HDBSCAN finds the number itself from the density of the sample; each cluster's centre is the mean of its sample pixels.</source>
        <translation>Ajuste des groupes sur un échantillon aléatoire de pixels valides, puis donne à chaque pixel le groupe du centre le plus proche (distance euclidienne). Les k-moyennes forment le nombre de groupes demandé ; avec 0, le nombre, de 2 au maximum essayé, qui a le plus haut coefficient de silhouette sur l'échantillon (groupes compacts et bien séparés). HDBSCAN trouve lui-même le nombre d'après la densité de l'échantillon ; le centre de chaque groupe est la moyenne de ses pixels d'échantillon.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="60"/>
        <source>Centres saved by an earlier run: every pixel goes to the nearest of them, no fitting (embeddings of the same model and dimensions, e.g. another date).</source>
        <translation>Centres enregistrés par une exécution précédente : chaque pixel va au plus proche d'entre eux, sans ajustement (plongements du même modèle et des mêmes dimensions, p. ex. une autre date).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="66"/>
        <source>A byte GeoTIFF of clusters 1, 2, ... with a colour table, nodata 0.</source>
        <translation>Un GeoTIFF d'octets des groupes 1, 2, ... avec une table de couleurs, sans donnée 0.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="67"/>
        <source>The centres as JSON, to assign another image to them.</source>
        <translation>Les centres en JSON, pour y rattacher une autre image.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_clusters.py" line="88"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>EmbeddingColourViewAlgorithm</name>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="20"/>
        <source>Projection of an earlier run (JSON)</source>
        <translation>Projection d'une exécution précédente (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="78"/>
        <source>Colour view</source>
        <translation>Vue en couleurs</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="23"/>
        <source>Projection (JSON)</source>
        <translation>Projection (JSON)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="30"/>
        <source>Embedding colour view</source>
        <translation>Vue en couleurs des plongements</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="33"/>
        <source>Embeddings as an RGB image: their 3 principal components, stretched.</source>
        <translation>Les plongements en image RVB : leurs 3 composantes principales, étirées.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="36"/>
        <source>Projects the embeddings onto their 3 principal components (PCA, fitted on a random sample of valid pixels) and writes them as red, green and blue: pixels with similar embeddings get similar colours. Each component is stretched linearly from its 2nd to its 98th percentile over the sample to the values 1-255 (0 is nodata).</source>
        <translation>Projette les plongements sur leurs 3 composantes principales (ACP ajustée sur un échantillon aléatoire de pixels valides) et les écrit en rouge, vert et bleu : des pixels aux plongements semblables reçoivent des couleurs semblables. Chaque composante est étirée linéairement de son 2e à son 98e centile sur l'échantillon vers les valeurs 1-255 (0 signifie sans donnée).</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="43"/>
        <source>The projection saved by an earlier run: the same components and stretch are applied, so that two dates (embeddings of the same model and dimensions) share one colour space. Empty: fitted on this raster.</source>
        <translation>La projection enregistrée par une exécution précédente : les mêmes composantes et le même étirement sont appliqués, si bien que deux dates (plongements du même modèle et des mêmes dimensions) partagent un seul espace de couleurs. Vide : ajustée sur ce raster.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="50"/>
        <source>A 3-band byte GeoTIFF on the embeddings' grid, nodata 0.</source>
        <translation>Un GeoTIFF d'octets à 3 bandes sur la grille des plongements, sans donnée 0.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="51"/>
        <source>The projection used (mean, components, stretch, explained variance) as JSON, to give to the run of another date.</source>
        <translation>La projection utilisée (moyenne, composantes, étirement, variance expliquée) en JSON, à donner à l'exécution d'une autre date.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="63"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_colour_view.py" line="77"/>
        <source>Share of the variance shown: {0:.1f} %</source>
        <translation>Part de la variance représentée : {0:.1f} %</translation>
    </message>
</context>
<context>
    <name>EmbeddingToolAlgorithm</name>
    <message>
        <location filename="../processing_provider/embedding_tool_base.py" line="20"/>
        <source>Embeddings</source>
        <translation>Plongements</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_tool_base.py" line="21"/>
        <source>Sample size (pixels)</source>
        <translation>Taille de l'échantillon (pixels)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_tool_base.py" line="22"/>
        <source>The output of Planaura embeddings (at the model's stride or upsampled), or any multi-band raster whose pixels are feature vectors. Pixels that are nodata in any band stay nodata. It is read in strips of rows, so large rasters need little memory.</source>
        <translation>La sortie de Plongements Planaura (au pas du modèle ou suréchantillonnée), ou tout raster à plusieurs bandes dont les pixels sont des vecteurs de descripteurs. Les pixels sans donnée dans une bande restent sans donnée. Il est lu par bandes de lignes : les grands rasters demandent peu de mémoire.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_tool_base.py" line="27"/>
        <source>Valid pixels drawn at random (the same for the same raster) to fit on.</source>
        <translation>Pixels valides tirés au hasard (les mêmes pour un même raster) sur lesquels ajuster.</translation>
    </message>
</context>
<context>
    <name>PlanauraStyles</name>
    <message>
        <location filename="../processing_provider/embedding_styles.py" line="63"/>
        <source>Cluster {0}</source>
        <translation>Groupe {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_styles.py" line="66"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>SimilaritySearchAlgorithm</name>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="30"/>
        <source>Examples (points or polygons)</source>
        <translation>Exemples (points ou polygones)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="31"/>
        <source>Counter-examples</source>
        <translation>Contre-exemples</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="33"/>
        <source>Similarity to</source>
        <translation>Similarité à</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="34"/>
        <source>the mean of the examples</source>
        <translation>la moyenne des exemples</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="35"/>
        <source>the closest example</source>
        <translation>l'exemple le plus proche</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="36"/>
        <source>Threshold of the similar areas</source>
        <translation>Seuil des zones semblables</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="38"/>
        <source>Minimum area (hectares)</source>
        <translation>Superficie minimale (hectares)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="130"/>
        <source>Similarity</source>
        <translation>Similarité</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="40"/>
        <source>Similar areas</source>
        <translation>Zones semblables</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="42"/>
        <source>Number of similar areas</source>
        <translation>Nombre de zones semblables</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="43"/>
        <source>Area of the similar areas (ha)</source>
        <translation>Superficie des zones semblables (ha)</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="49"/>
        <source>Similarity search</source>
        <translation>Recherche par similarité</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="52"/>
        <source>More like this: how much each pixel's embedding looks like those of examples.</source>
        <translation>Plus de pareils : à quel point le plongement de chaque pixel ressemble à ceux d'exemples.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="55"/>
        <source>Cosine similarity (from -1 to 1) of every pixel's embedding to the embeddings under the examples: to their mean direction, or the largest over the examples. With counter-examples, their similarity is subtracted (similarity to the examples minus similarity to the counter-examples, from -2 to 2), so pixels more like a counter-example come out below 0. The pixels at or above a threshold can be written as polygons with their true areas.</source>
        <translation>Similarité cosinus (de -1 à 1) du plongement de chaque pixel aux plongements situés sous les exemples : à leur direction moyenne, ou la plus grande sur les exemples. Avec des contre-exemples, leur similarité est soustraite (similarité aux exemples moins similarité aux contre-exemples, de -2 à 2) : les pixels qui ressemblent davantage à un contre-exemple ressortent sous 0. Les pixels égaux ou supérieurs à un seuil peuvent être écrits en polygones avec leurs superficies vraies.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="63"/>
        <source>Points (the pixel under each) or polygons (the pixels whose centre is inside), any CRS.</source>
        <translation>Points (le pixel sous chacun) ou polygones (les pixels dont le centre est à l'intérieur), dans n'importe quel SCR.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="65"/>
        <source>Points or polygons of what is not wanted.</source>
        <translation>Points ou polygones de ce qui n'est pas recherché.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="66"/>
        <source>The mean of the examples suits examples of one kind; the closest example suits several looks of one thing.</source>
        <translation>La moyenne des exemples convient à des exemples d'un seul type ; l'exemple le plus proche convient à plusieurs aspects d'une même chose.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="69"/>
        <source>Pixels at or above it make the similar areas.</source>
        <translation>Les pixels égaux ou supérieurs forment les zones semblables.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="70"/>
        <source>Similar areas smaller than this are left out.</source>
        <translation>Les zones semblables plus petites sont écartées.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="73"/>
        <source>A float32 GeoTIFF on the embeddings' grid, nodata -100.</source>
        <translation>Un GeoTIFF float32 sur la grille des plongements, sans donnée -100.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="74"/>
        <source>One polygon per connected patch of pixels at or above the threshold, with area_ha (true area on the ellipsoid), mean_cos and min_cos (mean and lowest similarity) and pixels.</source>
        <translation>Un polygone par plage connexe de pixels égaux ou supérieurs au seuil, avec area_ha (superficie vraie sur l'ellipsoïde), mean_cos et min_cos (similarité moyenne et minimale) et pixels.</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="110"/>
        <source>examples</source>
        <translation>exemples</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="113"/>
        <source>counter-examples</source>
        <translation>contre-exemples</translation>
    </message>
    <message>
        <location filename="../processing_provider/embedding_similarity.py" line="125"/>
        <source>Similar areas: save them to a file (.gpkg), not into a database table ({0}).</source>
        <translation>Zones semblables : enregistrez-les dans un fichier (.gpkg), pas dans une table de base de données ({0}).</translation>
    </message>
</context>
<context>
    <name>CatalogAlgorithm</name>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="26"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="27"/>
        <source>Other STAC API URL</source>
        <translation>URL d'une autre API STAC</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="28"/>
        <source>Collections (comma-separated; empty = the catalogue's)</source>
        <translation>Collections (séparées par des virgules; vide = celles du catalogue)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="30"/>
        <source>Area of interest (extent or layer)</source>
        <translation>Zone d'intérêt (emprise ou couche)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="31"/>
        <source>Maximum cloud over the area (%)</source>
        <translation>Nuages au plus sur la zone (%)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="38"/>
        <source>NASA CMR-STAC LPCLOUD: HLS S30 + L30 (Earthdata login)</source>
        <translation>NASA CMR-STAC LPCLOUD : HLS S30 + L30 (identifiant Earthdata)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="39"/>
        <source>Earth Search v1: Sentinel-2 L2A</source>
        <translation>Earth Search v1 : Sentinel-2 L2A</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="40"/>
        <source>Microsoft Planetary Computer: Sentinel-2 L2A</source>
        <translation>Microsoft Planetary Computer : Sentinel-2 L2A</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="41"/>
        <source>Other STAC API (URL below)</source>
        <translation>Autre API STAC (URL ci-dessous)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="52"/>
        <source>Where to search: HLS S30 and L30 from NASA's CMR-STAC (LPCLOUD; the data needs an Earthdata login: set EARTHDATA_TOKEN in the environment or keep the login in ~/.netrc), Sentinel-2 L2A from Earth Search v1 or from the Planetary Computer (its URLs are signed for you), or another STAC API.</source>
        <translation>Où chercher : HLS S30 et L30 du CMR-STAC de la NASA (LPCLOUD; les données demandent un identifiant Earthdata : définissez EARTHDATA_TOKEN dans l'environnement ou gardez l'identifiant dans ~/.netrc), Sentinel-2 L2A d'Earth Search v1 ou du Planetary Computer (ses URL sont signées pour vous), ou une autre API STAC.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="57"/>
        <source>The STAC API's address when the catalogue is 'Other STAC API'.</source>
        <translation>L'adresse de l'API STAC quand le catalogue est « Autre API STAC ».</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="59"/>
        <source>Which collections to search, e.g. HLSS30_2.0; empty: the catalogue's own (all for another API).</source>
        <translation>Les collections où chercher, p. ex. HLSS30_2.0; vide : celles du catalogue (toutes pour une autre API).</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="62"/>
        <source>The area: an extent, or a layer's extent (e.g. a polygon layer).</source>
        <translation>La zone : une emprise, ou l'emprise d'une couche (p. ex. une couche de polygones).</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="64"/>
        <source>Scenes with more cloud, adjacent cloud or shadow over the area are left out. It is measured from each scene's quality layer (HLS Fmask, Sentinel-2 SCL) read over the area only; the scene's own cloud cover is not used: it covers the whole tile, and NASA's catalogue ignores it in queries.</source>
        <translation>Les scènes ayant plus de nuages, de voisinage de nuages ou d'ombres sur la zone sont écartées. C'est mesuré sur la couche de qualité de chaque scène (Fmask HLS, SCL Sentinel-2) lue sur la zone seulement; la couverture nuageuse propre à la scène n'est pas utilisée : elle porte sur toute la tuile, et le catalogue de la NASA l'ignore dans les requêtes.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="84"/>
        <source>Give the STAC API URL for 'Other STAC API'.</source>
        <translation>Donnez l'URL de l'API STAC pour « Autre API STAC ».</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="97"/>
        <source>Give an area of interest with its CRS.</source>
        <translation>Donnez une zone d'intérêt avec son SCR.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_common.py" line="110"/>
        <source>{0}: '{1}' is not a date as YYYY-MM-DD.</source>
        <translation>{0} : « {1} » n'est pas une date AAAA-MM-JJ.</translation>
    </message>
</context>
<context>
    <name>CatalogChangeMapAlgorithm</name>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="37"/>
        <source>Local copy of the area's data (folder; empty = read over the network)</source>
        <translation>Copie locale des données de la zone (dossier; vide = lecture par le réseau)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="66"/>
        <source>Optional: a folder where the data the run reads (the area and one model tile around it, and its quality layer) is copied first, as GeoTIFFs named after the items, for a later run without network.</source>
        <translation>Facultatif : un dossier où les données que l'exécution lit (la zone et une tuile du modèle autour, et sa couche de qualité) sont d'abord copiées, en GeoTIFF nommés d'après les éléments, pour une exécution ultérieure sans réseau.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="26"/>
        <source>Before: from (YYYY-MM-DD)</source>
        <translation>Avant : du (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="26"/>
        <source>Before: to (YYYY-MM-DD)</source>
        <translation>Avant : au (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="26"/>
        <source>After: from (YYYY-MM-DD)</source>
        <translation>Après : du (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="26"/>
        <source>After: to (YYYY-MM-DD)</source>
        <translation>Après : au (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="30"/>
        <source>Before scene id (instead of the clearest)</source>
        <translation>Identifiant de la scène avant (au lieu de la plus claire)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="32"/>
        <source>After scene id (instead of the clearest)</source>
        <translation>Identifiant de la scène après (au lieu de la plus claire)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="34"/>
        <source>Minimum valid share of the area (%)</source>
        <translation>Part valide minimale de la zone (%)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="36"/>
        <source>Chosen scenes (table)</source>
        <translation>Scènes choisies (table)</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="43"/>
        <source>Change map from a catalogue</source>
        <translation>Carte de changement depuis un catalogue</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="46"/>
        <source>The clearest scene of a before and an after window from a STAC catalogue, then the change map; nothing downloaded whole.</source>
        <translation>La scène la plus claire d'une fenêtre avant et d'une fenêtre après dans un catalogue STAC, puis la carte de changement; rien n'est téléchargé en entier.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="50"/>
        <source>Searches the catalogue for each window, measures each scene's cloud over the area from its quality layer (read over the area only), takes the clearest usable scene of each window, assembles its six bands as a VRT of the catalogue's files (read over HTTP, only the blocks the area needs; offsets and scales from the item) and runs the change map on the area, with the scene's Fmask or SCL as its quality. The chosen scenes are written as a table; the VRTs stay in a 'scenes' folder beside it.</source>
        <translation>Cherche dans le catalogue pour chaque fenêtre, mesure les nuages de chaque scène sur la zone à partir de sa couche de qualité (lue sur la zone seulement), prend la scène utilisable la plus claire de chaque fenêtre, assemble ses six bandes en un VRT des fichiers du catalogue (lus par HTTP, seulement les blocs dont la zone a besoin; décalages et échelles pris de l'élément) et calcule la carte de changement sur la zone, avec le Fmask ou le SCL de la scène comme qualité. Les scènes choisies sont écrites dans une table; les VRT restent dans un dossier « scenes » à côté.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="57"/>
        <source>The two date windows.</source>
        <translation>Les deux fenêtres de dates.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="58"/>
        <source>Optional: an item id to use instead of the clearest scene of its window (for models).</source>
        <translation>Facultatif : l'identifiant d'un élément à utiliser au lieu de la scène la plus claire de sa fenêtre (pour les modèles).</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="60"/>
        <source>A scene is usable when at least this share of the area has data (and its cloud is at most the maximum above); the clearest usable scene of each window is taken.</source>
        <translation>Une scène est utilisable quand au moins cette part de la zone a des données (et que ses nuages ne dépassent pas le maximum ci-dessus); la scène utilisable la plus claire de chaque fenêtre est retenue.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="64"/>
        <source>As in Planaura change map.</source>
        <translation>Comme dans Carte de changement Planaura.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="65"/>
        <source>CSV: role, item id, collection, date, sensor, tile, scene cloud (%), cloud and valid share over the area, item URL, band URLs.</source>
        <translation>CSV : rôle, identifiant de l'élément, collection, date, capteur, tuile, nuages de la scène (%), parts de nuages et de pixels valides sur la zone, URL de l'élément, URL des bandes.</translation>
    </message>
    <message>
        <location filename="../processing_provider/catalog_change_map.py" line="129"/>
        <source>No tile could be processed: no change map was written.</source>
        <translation>Aucune tuile n'a pu être traitée : aucune carte de changement n'a été écrite.</translation>
    </message>
</context>
<context>
    <name>FindImageryAlgorithm</name>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="49"/>
        <source>From (YYYY-MM-DD)</source>
        <translation>Du (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="50"/>
        <source>To (YYYY-MM-DD)</source>
        <translation>Au (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="51"/>
        <source>Scenes found</source>
        <translation>Scènes trouvées</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="57"/>
        <source>Find imagery</source>
        <translation>Trouver des images</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="60"/>
        <source>Scenes of a STAC catalogue over an area and dates, clearest over the area first.</source>
        <translation>Les scènes d'un catalogue STAC sur une zone et des dates, les plus claires sur la zone d'abord.</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="63"/>
        <source>Searches a STAC catalogue (HLS from NASA's CMR-STAC, Sentinel-2 L2A from Earth Search or the Planetary Computer, or any STAC API) for the scenes over the area between two dates, reads each scene's quality layer (HLS Fmask, Sentinel-2 SCL) over the area only, and lists the scenes, clearest over the area first. Nothing is downloaded whole.</source>
        <translation>Cherche dans un catalogue STAC (HLS du CMR-STAC de la NASA, Sentinel-2 L2A d'Earth Search ou du Planetary Computer, ou toute API STAC) les scènes sur la zone entre deux dates, lit la couche de qualité de chaque scène (Fmask HLS, SCL Sentinel-2) sur la zone seulement, et liste les scènes, les plus claires sur la zone d'abord. Rien n'est téléchargé en entier.</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="69"/>
        <source>The date window, both days included.</source>
        <translation>La fenêtre de dates, les deux jours inclus.</translation>
    </message>
    <message>
        <location filename="../processing_provider/find_imagery.py" line="71"/>
        <source>Footprints (WGS 84) with the item id, date, sensor, tile, the scene's cloud cover (%), the cloud and valid shares over the area (0-1) and the item's URL, sorted clearest first (rank 1).</source>
        <translation>Emprises (WGS 84) avec l'identifiant de l'élément, la date, le capteur, la tuile, la couverture nuageuse de la scène (%), les parts de nuages et de pixels valides sur la zone (0-1) et l'URL de l'élément, triées de la plus claire (rang 1) à la moins claire.</translation>
    </message>
</context>
</TS>
