library(testthat)
library(pawscore)

test_check("pawscore")
