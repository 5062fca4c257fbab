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
</TS>
