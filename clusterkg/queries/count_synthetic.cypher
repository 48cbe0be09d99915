// name: count_synthetic
// description: The number of SYNTHETIC nodes (generated demo data); pages show a banner when it is not zero.
// mode: read
MATCH (n)
WHERE n.synthetic = true
RETURN count(n) AS count
