"""Official documents exchanged through the national document exchange axis."""
