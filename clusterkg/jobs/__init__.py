"""The floor the three organisers' jobs (events/, exchanges/, consortium/) stand on.

`inputs` is the one seam to the loaders: files and request rows validated
alike, places and taxonomy terms resolved as the loaders resolve them; a job
package never imports clusterkg.loaders itself. `records` holds the jobs'
input file formats, `solver` the CP-SAT call with its budget and report,
`files` what every job's output files share, `synthetic` the SYNTHETIC input
files for demos and benchmarks.

It imports loaders/ and scoring/ below it, never a job package or runner/.
"""
