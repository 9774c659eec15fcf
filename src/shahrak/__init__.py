"""Shahrak (شهرک): the information system of a provincial Industrial Parks Company."""
